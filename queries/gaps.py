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

Reading a loaded chain back (its template, its towns) is :mod:`queries.chains`; who owns each
gap (tasks, units, people) is :mod:`queries.gap_owners`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import networkx as nx
from pydantic import Field

from graph.chains import ORDER, ChainNode, ChainTemplate, Tier
from graph.schema import Label, Rel, chain_id, chain_node_id
from queries.answers import Answer
from queries.chains import find_town, template_from_graph, typed_edges

Status = Literal["missing", "thin", "present"]
Action = Literal["补链", "延链", "强链"]
_WEIGHT = {"present": 1.0, "thin": 0.5}


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


def chain_gaps(
    G: nx.MultiDiGraph, chain: str, town: str | None = None, thin_below: int = 2
) -> GapReport:
    """Classify every node of a loaded chain by the firms in the graph.

    Firms counted at a node: Firm nodes with an OPERATES_IN edge to it and, when ``town`` is
    given, a LOCATED_IN edge to that town. ``tasks``, ``units`` and ``people`` are left empty;
    :func:`queries.gap_owners.attach_owners` fills them.

    Args:
        G: the graph (nodes carry ``label``, edges ``type``).
        chain: chain id, key, name or English name.
        town: Town node id or name (unique), or ``None`` for every firm of the graph.
        thin_below: see :func:`classify`.

    Raises:
        UnknownChain: no such chain. UnknownNode: no such town.
    """
    template = template_from_graph(G, chain)
    town_node = find_town(G, town) if town is not None else None
    counts = {}
    for node in template.nodes:
        nid = chain_node_id(template.id, node.id)
        firms = {u for u, _, _ in typed_edges(G, nid, Rel.OPERATES_IN)}
        firms = {u for u in firms if G.nodes[u].get("label") == Label.FIRM.value}
        if town_node is not None:
            firms = {u for u in firms if _located(G, u, town_node)}
        counts[node.id] = len(firms)
    nodes = classify(template, counts, thin_below)
    return GapReport(chain=chain_id(template.id), town=town_node, nodes=nodes)


def _located(G: nx.MultiDiGraph, firm: str, town: str) -> bool:
    edges = G.get_edge_data(firm, town) or {}
    return any(d.get("type") == Rel.LOCATED_IN.value for d in edges.values())


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
