"""Chain gaps: which links of an industry chain a town lacks, and what to do about each.

Vocabulary (产业链招商): 补链 (fill a missing link inside the present chain), 延链 (extend the
chain beyond its present ends), 强链 (strengthen a link that is present but thin).

Rules of :func:`classify`, for firm counts ``c`` and threshold ``thin_below`` (``k``, default 2):

- status: ``missing`` when ``c == 0``; ``thin`` when ``0 < c < k`` (one firm is thin by
  default); ``present`` when ``c >= k``. "Active" nodes are the thin and present ones: the chain
  as it stands today.
- action of a ``present`` node: none. Of a ``thin`` node: 强链.
- action of a ``missing`` node of an ordered tier (upstream, midstream, downstream): 补链 when an
  active node lies upstream of it (reaches it along SUPPLIES among ordered-tier nodes) AND an
  active node lies downstream of it (it would close a hole, however long); otherwise 延链 — it
  sits beyond the first or last active links, or beside the active chain altogether.
- action of a ``missing`` services node: 补链 when it serves (is adjacent along SUPPLIES to) an
  active node — the chain as it stands needs it; otherwise 延链 (it would come with an extension).
- no active node at all (an empty register, or none for this town): every node is missing and
  gets 补链 — there is no present chain to extend, the whole chain is to be filled; every score
  is 0.
- every node active and at least ``k`` firms each: no gaps, every action is none.

Score (each node, in [0, 1], 3 decimals): the share of the present chain the node touches.
With weights ``w = 1`` for a present node and ``w = 0.5`` for a thin one,
``score(n) = Σ w(m) over active m adjacent to n along SUPPLIES (either direction)
/ Σ w(m) over all active m ≠ n`` — 0 when no other node is active. A missing node with score
0.6 would connect to (or serve, or be served by) 60 % of the weighted present chain.

>>> t = ChainTemplate(id="d", name="演示", nodes=[
...     ChainNode(id="ore", name="矿石", tier="upstream", supplies=["metal"]),
...     ChainNode(id="metal", name="金属", tier="midstream", supplies=["tool"]),
...     ChainNode(id="tool", name="工具", tier="downstream")])
>>> [(g.status, g.action, g.score) for g in classify(t, {"ore": 3, "tool": 1})]
[('present', None, 0.0), ('missing', '补链', 1.0), ('thin', '强链', 0.0)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import networkx as nx
from pydantic import Field

from graph.chains import ORDER, ChainNode, ChainTemplate, Tier
from graph.errors import UnknownChain, UnknownNode
from graph.schema import Label, Rel, Role, chain_id, chain_node_id
from queries.answers import Answer

Status = Literal["missing", "thin", "present"]
Action = Literal["补链", "延链", "强链"]
_WEIGHT = {"present": 1.0, "thin": 0.5}
INVESTMENT = "招商"  # marks the investment-attraction tasks used as fallback owners


class TaskRef(Answer):
    """A task that owns a gap: it addresses the node, or attracts investment in general."""

    id: str
    number: str | None = Field(default=None, description="the task's full number, e.g. 三（五）")
    title: str | None = None
    keyword: str | None = Field(default=None, description="the ADDRESSES keyword, if matched")


class UnitRef(Answer):
    """A unit responsible for one of the node's tasks."""

    id: str
    name: str | None = None
    role: str | None = None
    order: int | None = None


class PersonRef(Answer):
    """A person holding a post in one of the units, or the chain leader (链长)."""

    id: str
    name: str | None = None
    title: str | None = None
    unit: str | None = None
    chain_leader: bool = False


class NodeGap(Answer):
    """One chain node: how many local firms, its status, the proposed action, who owns it."""

    id: str
    name: str
    tier: str
    status: Status
    action: Action | None
    firms: int
    score: float
    tasks: list[TaskRef] = Field(default_factory=list)
    units: list[UnitRef] = Field(default_factory=list)
    people: list[PersonRef] = Field(default_factory=list)
    reason: Literal["task match", "fallback"] | None = None


class GapReport(Answer):
    """The gaps of one chain, for one town or across the graph (``town`` is ``None``)."""

    chain: str
    town: str | None
    nodes: list[NodeGap]


def classify(
    template: ChainTemplate, firm_counts: Mapping[str, int], thin_below: int = 2
) -> list[NodeGap]:
    """Status, action and score of every node of ``template`` (rules in the module docstring).

    Args:
        template: the chain.
        firm_counts: local firms per node, by node id (``"ductile_pipe"`` or the graph id
            ``"chainnode:foundry:ductile_pipe"``); a node left out has none.
        thin_below: a node with fewer firms than this (but some) is thin.

    Returns:
        One :class:`NodeGap` per node, in template order, ids being graph ids.

    Raises:
        ValueError: ``thin_below < 1``, a negative count, or a count for a node not in the chain.
    """
    if thin_below < 1:
        raise ValueError(f"thin_below must be at least 1, not {thin_below}")
    prefix = chain_node_id(template.id, "")
    counts = {n.id: 0 for n in template.nodes}
    for key, count in firm_counts.items():
        local = key.removeprefix(prefix)
        if local not in counts:
            raise ValueError(f"no node {key!r} in chain {template.id!r}")
        if count < 0:
            raise ValueError(f"negative firm count {count} for node {key!r}")
        counts[local] = count
    status: dict[str, Status] = {
        k: "missing" if c == 0 else "thin" if c < thin_below else "present"
        for k, c in counts.items()
    }
    active = {k for k, s in status.items() if s != "missing"}
    total = sum(_WEIGHT[status[k]] for k in active)
    graph = nx.DiGraph(template.edges)
    graph.add_nodes_from(counts)
    ordered = graph.subgraph(n.id for n in template.nodes if n.tier in ORDER)
    gaps = []
    for node in template.nodes:
        near = (set(graph.predecessors(node.id)) | set(graph.successors(node.id))) & active
        others = total - (_WEIGHT[status[node.id]] if node.id in active else 0.0)
        score = sum(_WEIGHT[status[m]] for m in near) / others if others else 0.0
        gaps.append(
            NodeGap(
                id=chain_node_id(template.id, node.id),
                name=node.name,
                tier=node.tier.value,
                status=status[node.id],
                action=_action(node, status[node.id], active, near, ordered),
                firms=counts[node.id],
                score=round(score, 3),
            )
        )
    return gaps


def _action(
    node: ChainNode, status: Status, active: set[str], near: set[str], ordered: nx.DiGraph
) -> Action | None:
    if status == "present":
        return None
    if status == "thin":
        return "强链"
    if not active or (node.tier == Tier.SERVICES and near):
        return "补链"
    if node.tier == Tier.SERVICES:
        return "延链"
    up = nx.ancestors(ordered, node.id) & active
    down = nx.descendants(ordered, node.id) & active
    return "补链" if up and down else "延链"


# -- over the graph -----------------------------------------------------------------------
def _edges(G: nx.MultiDiGraph, node: str, rel: Rel, inbound: bool = True) -> list[Any]:
    edges = G.in_edges(node, data=True) if inbound else G.out_edges(node, data=True)
    return [e for e in edges if e[2].get("type") == rel.value]


def find_chain(G: nx.MultiDiGraph, chain: str) -> str:
    """Id of the Chain node named by ``chain``: its id, key (``foundry``), name or English name.

    Raises:
        UnknownChain: no Chain node answers to ``chain``.
    """
    for node_id in (chain, chain_id(chain)):
        if G.has_node(node_id) and G.nodes[node_id].get("label") == Label.CHAIN.value:
            return node_id
    for node_id, d in G.nodes(data=True):
        if d.get("label") == Label.CHAIN.value and chain in (d.get("name"), d.get("name_en")):
            return str(node_id)
    raise UnknownChain(f"No industry chain {chain!r} is loaded")


def _find_town(G: nx.MultiDiGraph, town: str) -> str:
    if G.has_node(town) and G.nodes[town].get("label") == Label.TOWN.value:
        return town
    named = [n for n, d in G.nodes(data=True) if d.get("label") == "Town" and d.get("name") == town]
    if len(named) == 1:
        return str(named[0])
    if named:
        raise UnknownNode(f"Town name {town!r} is ambiguous ({', '.join(named)}): pass its id")
    raise UnknownNode(f"No town {town!r} in the graph")


def member_key(node: Mapping[str, Any]) -> tuple[int, str]:
    """Order of a chain's links: their place in the template file, then id (both stores)."""
    order = node.get("order")
    return (order if isinstance(order, int) else 1 << 30, str(node["id"]))


def template_from_graph(G: nx.MultiDiGraph, chain: str) -> ChainTemplate:
    """Rebuild the template of a loaded chain from its Chain, ChainNode and SUPPLIES facts."""
    cid = find_chain(G, chain)
    key = G.nodes[cid].get("key") or cid.removeprefix("chain:")
    members = sorted(
        (v for _, v, _ in _edges(G, cid, Rel.HAS_NODE, inbound=False)),
        key=lambda m: member_key({"id": m, "order": G.nodes[m].get("order")}),
    )
    local = {m: G.nodes[m].get("key") or m.removeprefix(chain_node_id(key, "")) for m in members}
    nodes = []
    for m in members:
        d = G.nodes[m]
        supplies = [
            local[v]
            for v in sorted(v for _, v, _ in _edges(G, m, Rel.SUPPLIES, inbound=False))
            if v in local
        ]
        nodes.append(
            ChainNode(
                id=local[m],
                name=d.get("name") or local[m],
                gloss=d.get("gloss"),
                tier=d.get("tier", Tier.SERVICES.value),
                codes=d.get("codes") or [],
                code_note=d.get("code_note"),
                supplies=list(dict.fromkeys(supplies)),
            )
        )
    rank = {**{t.value: r for t, r in ORDER.items()}, Tier.SERVICES.value: len(ORDER)}
    nodes.sort(key=lambda n: rank[n.tier.value])
    return ChainTemplate(id=key, name=G.nodes[cid].get("name") or key, nodes=nodes)


def chain_gaps(
    G: nx.MultiDiGraph, chain: str, town: str | None = None, thin_below: int = 2
) -> GapReport:
    """Classify every node of a loaded chain by the firms in the graph.

    Firms counted at a node: Firm nodes with an OPERATES_IN edge to it and, when ``town`` is
    given, a LOCATED_IN edge to that town. ``tasks``, ``units`` and ``people`` are left empty;
    :func:`attach_owners` fills them.

    Args:
        G: the graph (nodes carry ``label``, edges ``type``).
        chain: chain id, key, name or English name.
        town: Town node id or name (unique), or ``None`` for every firm of the graph.
        thin_below: see :func:`classify`.

    Raises:
        UnknownChain: no such chain. UnknownNode: no such town.
    """
    template = template_from_graph(G, chain)
    town_node = _find_town(G, town) if town is not None else None
    counts = {}
    for node in template.nodes:
        nid = chain_node_id(template.id, node.id)
        firms = {u for u, _, _ in _edges(G, nid, Rel.OPERATES_IN)}
        firms = {u for u in firms if G.nodes[u].get("label") == Label.FIRM.value}
        if town_node is not None:
            firms = {u for u in firms if _located(G, u, town_node)}
        counts[node.id] = len(firms)
    nodes = classify(template, counts, thin_below)
    return GapReport(chain=chain_id(template.id), town=town_node, nodes=nodes)


def _located(G: nx.MultiDiGraph, firm: str, town: str) -> bool:
    edges = G.get_edge_data(firm, town) or {}
    return any(d.get("type") == Rel.LOCATED_IN.value for d in edges.values())


def _position(G: nx.MultiDiGraph, task: str) -> tuple[str, int, str]:
    d = G.nodes[task]
    order = d.get("order")
    return (str(d.get("doc") or ""), order if isinstance(order, int) else 1 << 30, task)


def _investment_tasks(G: nx.MultiDiGraph, town: str | None) -> list[str]:
    """Tasks mentioning 招商, of the plans naming ``town`` when there are such (else all)."""
    tasks = [
        n
        for n, d in G.nodes(data=True)
        if d.get("label") == Label.TASK.value
        and any(INVESTMENT in (d.get(k) or "") for k in ("title", "text"))
    ]
    tasks.sort(key=lambda t: _position(G, t))
    if town is None or not G.has_node(town):
        return tasks
    scope: set[str] = set()
    for doc, _, _ in _edges(G, town, Rel.NAMES_TOWN):
        contains = nx.subgraph_view(
            G, filter_edge=lambda u, v, k: G.edges[u, v, k].get("type") == Rel.CONTAINS.value
        )
        scope |= nx.descendants(contains, doc)
    return [t for t in tasks if t in scope] or tasks


OwnerKey = tuple[int, float, int, str]


def owner_key(role: object, order: object, task_index: int) -> OwnerKey:
    """Rank of a unit among a gap's owners: lead first, then its order on the task, then the
    task's place, then the role's name (both stores, so that ties never fall to storage order).

    >>> owner_key("lead", None, 3) < owner_key("support", 0, 0)
    True
    """
    return (
        0 if role == Role.LEAD.value else 1,
        order if isinstance(order, int | float) else 1e9,
        task_index,
        str(role or ""),
    )


def match_key(edge: Mapping[str, Any]) -> tuple[bool, int, str]:
    """Order of a task's ADDRESSES matches: by where the match starts, then keyword; the first
    gives the task's ``keyword`` (both stores)."""
    span = edge.get("span")
    start = edge.get("start", span[0] if isinstance(span, list | tuple) and span else None)
    return (start is None, start if isinstance(start, int) else 0, str(edge.get("keyword") or ""))


def _owners(
    G: nx.MultiDiGraph, tasks: Iterable[str], leaders: list[PersonRef]
) -> tuple[list[UnitRef], list[PersonRef]]:
    best: dict[str, tuple[OwnerKey, UnitRef]] = {}
    for i, task in enumerate(tasks):
        for unit, _, d in _edges(G, task, Rel.RESPONSIBLE_FOR):
            order = d.get("order")
            key = owner_key(d.get("role"), order, i)
            ref = UnitRef(id=unit, name=G.nodes[unit].get("name"), role=d.get("role"), order=order)
            if unit not in best or key < best[unit][0]:
                best[unit] = (key, ref)
    units = [ref for _, ref in sorted(best.values(), key=lambda e: (e[0], e[1].id))]
    people = list(leaders)
    seen = {p.id for p in people}
    for unit in units:
        holders = sorted(
            _edges(G, unit.id, Rel.HOLDS), key=lambda e: (e[0], e[2].get("title") or "")
        )
        for person, _, d in holders:
            if person not in seen:
                seen.add(person)
                name = G.nodes[person].get("name")
                people.append(PersonRef(id=person, name=name, title=d.get("title"), unit=unit.id))
    return units, people


def attach_owners(G: nx.MultiDiGraph, report: GapReport) -> GapReport:
    """Fill ``tasks``, ``units``, ``people`` and ``reason`` of every gap (node with an action).

    Tasks: those with an ADDRESSES edge to the node (``reason="task match"``); when none, the
    investment-attraction tasks (title or text containing 招商) of the plans naming the report's
    town, or of every plan (``reason="fallback"``). Units: Unit nodes RESPONSIBLE_FOR those
    tasks, lead units first, then by ``order``. People: the chain leader(s) (Person
    -LEADS_CHAIN-> Chain) first, then the holders (Person -HOLDS-> Unit) of those units.
    """
    leaders = (
        [
            PersonRef(
                id=p, name=G.nodes[p].get("name"), title=d.get("title") or "链长", chain_leader=True
            )
            for p, _, d in sorted(
                _edges(G, report.chain, Rel.LEADS_CHAIN),
                key=lambda e: (e[0], e[2].get("title") or ""),
            )
        ]
        if G.has_node(report.chain)
        else []
    )
    fallback: list[str] | None = None
    nodes = []
    for gap in report.nodes:
        if gap.action is None:
            nodes.append(gap)
            continue
        matched: dict[str, str | None] = {}
        addressing = _edges(G, gap.id, Rel.ADDRESSES) if G.has_node(gap.id) else []
        for task, _, d in sorted(addressing, key=lambda e: match_key(e[2])):
            if G.nodes[task].get("label") == Label.TASK.value:
                matched.setdefault(task, d.get("keyword"))
        matched = {t: matched[t] for t in sorted(matched, key=lambda t: _position(G, t))}
        reason: Literal["task match", "fallback"] | None = "task match" if matched else None
        if not matched:
            if fallback is None:
                fallback = _investment_tasks(G, report.town)
            matched = dict.fromkeys(fallback)
            reason = "fallback" if matched else None
        tasks = [
            TaskRef(
                id=t,
                number=G.nodes[t].get("full_number") or G.nodes[t].get("number"),
                title=G.nodes[t].get("title"),
                keyword=k,
            )
            for t, k in matched.items()
        ]
        units, people = _owners(G, matched, leaders)
        nodes.append(
            gap.model_copy(
                update={"tasks": tasks, "units": units, "people": people, "reason": reason}
            )
        )
    return report.model_copy(update={"nodes": nodes})


class TownRef(Answer):
    """A town featuring a chain."""

    id: str
    name: str
    region: str | None = None


class ChainSummary(Answer):
    """A loaded chain: its towns, its size and how many firms the registers place on it."""

    id: str
    key: str
    name: str
    name_en: str | None = None
    nodes: int
    firms: int
    towns: list[TownRef] = Field(default_factory=list)


def chain_summaries(G: nx.MultiDiGraph) -> list[ChainSummary]:
    """Every loaded chain with the towns bound to it, by id."""
    out = []
    for cid, d in sorted(G.nodes(data=True)):
        if d.get("label") != Label.CHAIN.value:
            continue
        members = [v for _, v, _ in _edges(G, cid, Rel.HAS_NODE, inbound=False)]
        firms = {f for m in members for f, _, _ in _edges(G, m, Rel.OPERATES_IN)}
        towns = [
            TownRef(id=t, name=G.nodes[t].get("name", t), region=G.nodes[t].get("region"))
            for t, _, _ in _edges(G, cid, Rel.FEATURES)
        ]
        out.append(
            ChainSummary(
                id=cid,
                key=d.get("key") or cid.removeprefix("chain:"),
                name=d.get("name") or cid,
                name_en=d.get("name_en"),
                nodes=len(members),
                firms=len(firms),
                towns=sorted(towns, key=lambda t: t.id),
            )
        )
    return out


ACTION_ORDER = {"补链": 0, "强链": 1, "延链": 2}


def top_gaps(report: GapReport, limit: int | None = 5) -> list[NodeGap]:
    """The gaps to act on first: 补链, then 强链, then 延链; a higher score first within each.

    >>> t = ChainTemplate(id="d", name="演示", nodes=[
    ...     ChainNode(id="ore", name="矿石", tier="upstream", supplies=["metal"]),
    ...     ChainNode(id="metal", name="金属", tier="midstream", supplies=["tool"]),
    ...     ChainNode(id="tool", name="工具", tier="downstream")])
    >>> report = GapReport(chain="chain:d", town=None, nodes=classify(t, {"ore": 3, "tool": 1}))
    >>> [(g.name, g.action) for g in top_gaps(report)]
    [('金属', '补链'), ('工具', '强链')]
    """
    gaps = [n for n in report.nodes if n.action]
    ranked = sorted(gaps, key=lambda n: (ACTION_ORDER.get(n.action or "", 9), -n.score))
    return ranked if limit is None else ranked[:limit]
