"""Investment targets (招商目标): for each gap of a county's chain, firms elsewhere on that link.

A county's gaps (:mod:`queries.gaps`: 补链, 延链, 强链) say which links it lacks; the registers
of *other* regions loaded in the store say who makes those links. This module pairs the two and
invents nothing: every target is a Firm node of a register, with the register row that states
it. With no register of another region in the store the answer is empty and says so
(``outcome="no_other_register"``).

Rules:

- the county is the region of the town asked about (``Town.region``); a firm is *elsewhere*
  when every town it is located in lies in another region (a firm also located in the county
  is already there);
- a target is a (gap link, firm elsewhere operating in that link) pair;
- its partners: the county's active links (thin or present) that the firm's own links of the
  chain supply (``supplies``) or buy from (``buys_from``) along SUPPLIES;
- rank: the link's score (higher first), then the firm's stated scale (规上 first, unstated,
  then 规下), then how many county links it supplies or buys from (more first), then the
  action (补链, 强链, 延链), the link's place in the chain, the firm's name and id;
- owner: the gap's tasks, its lead unit and the person on the hook, as ``gaps`` gives them
  (:func:`lead_unit`, :func:`head_of`).

>>> from graph.chains import ChainNode
>>> from queries.gaps import classify
>>> t = ChainTemplate(id="d", name="演示", nodes=[
...     ChainNode(id="ore", name="矿石", tier="upstream", supplies=["metal"]),
...     ChainNode(id="metal", name="金属", tier="midstream", supplies=["tool"]),
...     ChainNode(id="tool", name="工具", tier="downstream")])
>>> report = GapReport(chain="chain:d", town="town:甲县:甲镇", nodes=classify(t, {"ore": 3, "tool": 2}))
>>> far = FirmFacts(link="chainnode:d:metal", id="firm:乙", name="乙", scale=True,
...     links=["chainnode:d:metal"], origin="register:b.csv", row=7,
...     towns=[TownFacts(id="town:乙县:乙镇", name="乙镇", region="乙县")])
>>> answer = rank_targets(report, t, "甲县", [far], ["乙县"])
>>> [(x.rank, x.name, x.action, x.supplies, x.buys_from) for x in answer.targets]
[(1, '乙', '补链', ['chainnode:d:tool'], ['chainnode:d:ore'])]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import networkx as nx
from pydantic import Field

from graph.chains import ChainTemplate
from graph.errors import TownNeeded
from graph.schema import Label, Rel, chain_node_id
from queries.answers import Answer
from queries.chains import ChainSummary, find_chain, named_chain, template_from_graph
from queries.gaps import (
    ACTION_ORDER,
    Action,
    GapReport,
    NodeGap,
    PersonRef,
    TaskRef,
    UnitRef,
    top_gaps,
)
from queries.responsibility import edges, has_edges, nodes_of

Outcome = Literal["targets", "no_other_register", "no_gaps", "no_firms"]
REGISTER = "register:"


class TownFacts(Answer):
    """A town a firm is located in, as its register states it."""

    id: str
    name: str | None = None
    region: str | None = None
    place: str | None = Field(default=None, description="township or village the row gives")
    origin: str | None = Field(default=None, description="the register stating the location")


class FirmFacts(Answer):
    """What the store says of one firm operating in one link (either store gives these)."""

    link: str = Field(description="the chain node id")
    id: str
    name: str
    scale: bool | None = None
    reference: str | None = None
    year: int | None = None
    links: list[str] = Field(default_factory=list, description="every link it operates in")
    origin: str | None = Field(default=None, description="the register stating OPERATES_IN")
    row: int | None = None
    towns: list[TownFacts] = Field(default_factory=list)


class SourceRow(Answer):
    """The register row a target comes from."""

    file: str = Field(description="the register's file name")
    row: int | None = Field(default=None, description="line (CSV) or sheet row (XLSX)")
    reference: str | None = Field(default=None, description="where the row's facts were reported")
    year: int | None = None


class Owner(Answer):
    """Who is on the hook for the gap a target would fill (from ``gaps``)."""

    reason: Literal["task match", "fallback"] | None = None
    tasks: list[TaskRef] = Field(default_factory=list)
    unit: UnitRef | None = None
    person: PersonRef | None = None


class Target(Answer):
    """A firm elsewhere on a gap link of the county's chain."""

    rank: int
    link: str
    link_name: str
    tier: str
    action: Action
    score: float
    firm: str
    name: str
    region: str | None = None
    town: str | None = None
    place: str | None = None
    scale: bool | None = Field(default=None, description="规上 as the register states it")
    supplies: list[str] = Field(default_factory=list, description="county links it would supply")
    buys_from: list[str] = Field(default_factory=list, description="county links it would buy from")
    source: SourceRow
    owner: Owner


class TargetReport(Answer):
    """The investment targets of one chain for one county."""

    chain: str
    town: str
    region: str | None = Field(description="the county: the town's region")
    outcome: Outcome
    regions: list[str] = Field(
        default_factory=list, description="other regions whose registers the store holds"
    )
    gaps: int = Field(description="links calling for 补链, 延链 or 强链")
    uncovered: list[str] = Field(
        default_factory=list, description="gap links no firm elsewhere operates in"
    )
    total: int = Field(default=0, description="targets before --top")
    targets: list[Target] = Field(default_factory=list)


# -- owners (the one lead rule of the gap table) --------------------------------------------
def lead_unit(units: Sequence[UnitRef]) -> UnitRef | None:
    """The stated lead among ``units``, else the first by order on its task."""
    ordered = sorted(units, key=lambda u: u.order if u.order is not None else 1 << 30)
    return next((u for u in units if u.role == "lead"), ordered[0] if ordered else None)


def head_of(people: Sequence[PersonRef], unit: UnitRef | None) -> PersonRef | None:
    """The chain leader (链长), else the person heading ``unit``, else the first person."""
    leader = next((p for p in people if p.chain_leader), None)
    heading = next((p for p in people if unit is not None and p.unit == unit.name), None)
    return leader or heading or (people[0] if people else None)


def owner_of(gap: NodeGap) -> Owner:
    """The tasks, lead unit and person of a gap."""
    unit = lead_unit(gap.units)
    return Owner(reason=gap.reason, tasks=gap.tasks, unit=unit, person=head_of(gap.people, unit))


# -- the rules, shared by both stores --------------------------------------------------------
def home_town(chains: Iterable[ChainSummary], chain: str) -> str | None:
    """The one town featuring ``chain`` (targets need a county to look beyond); ``None`` when
    no loaded chain answers to ``chain`` (the gap query then names it unknown).

    Raises:
        TownNeeded: none or several towns feature the chain.
    """
    c = named_chain(chains, chain)
    if c is None:
        return None
    if len(c.towns) == 1:
        return c.towns[0].id
    named = "、".join(t.name for t in c.towns) or "none"
    raise TownNeeded(
        f"Chain {chain!r} is featured by {len(c.towns)} towns ({named}): name the town "
        "whose county the targets are for (--town, ?town=)"
    )


def _scale_rank(scale: bool | None) -> int:
    return 0 if scale is True else 1 if scale is None else 2


def _located(firm: FirmFacts) -> TownFacts | None:
    """The town stated by the same register as the firm's link (else the first by id)."""
    towns = sorted(firm.towns, key=lambda t: t.id)
    return next((t for t in towns if t.origin == firm.origin), towns[0] if towns else None)


def rank_targets(
    report: GapReport,
    template: ChainTemplate,
    region: str | None,
    firms: Iterable[FirmFacts],
    regions: Iterable[str | None],
    top: int | None = None,
) -> TargetReport:
    """Pair the gaps of ``report`` with the firms elsewhere on their links, ranked.

    Args:
        report: the county's gaps with owners (``attach_owners``), for a town.
        template: the chain (its SUPPLIES edges give the partners).
        region: the county (the town's region).
        firms: the firms operating in the gap links, one entry per (link, firm) fact.
        regions: the regions of every town a firm is located in (the registers loaded).
        top: keep the first ``top`` targets.
    """
    ids = {n.id: chain_node_id(template.id, n.id) for n in template.nodes}
    graph = nx.DiGraph((ids[u], ids[v]) for u, v in template.edges)
    place = {ids[n.id]: i for i, n in enumerate(template.nodes)}
    active = {g.id for g in report.nodes if g.status != "missing"}
    gaps = {g.id: g for g in top_gaps(report, None)}
    others = sorted({r for r in regions if r and r != region})
    best: dict[tuple[str, str], FirmFacts] = {}
    for f in firms:
        if f.link not in gaps or any(t.region == region for t in f.towns) or not f.towns:
            continue
        key = (f.link, f.id)
        mine = (f.origin or "", f.row if f.row is not None else 1 << 30)
        if key not in best or mine < (best[key].origin or "", best[key].row or 1 << 30):
            best[key] = f
    partners: dict[tuple[str, tuple[str, ...]], tuple[list[str], list[str]]] = {}

    def partners_of(link: str, links: list[str]) -> tuple[list[str], list[str]]:
        """The active links a firm in ``links`` would supply and buy from (firms share them)."""
        at = (link, tuple(links))
        if at not in partners:
            own = [n for n in links if n in graph]
            partners[at] = (
                sorted({m for n in own for m in graph.successors(n)} & active - {link}),
                sorted({m for n in own for m in graph.predecessors(n)} & active - {link}),
            )
        return partners[at]

    ranked = []  # the sort key of each pairing first: a province pairs a gap with 47k firms
    for (link, _), f in best.items():
        supplies, buys = partners_of(link, f.links)
        gap = gaps[link]
        order = (
            -gap.score,
            _scale_rank(f.scale),
            -len(set(supplies) | set(buys)),
            ACTION_ORDER.get(gap.action or "", 9),
            place.get(link, 1 << 30),
            f.name,
            f.id,
        )
        ranked.append((order, f, supplies, buys))
    ranked.sort(key=lambda e: e[0])
    owners: dict[str, Owner] = {}  # once a gap: its units and people span every county's plans
    targets = []
    for rank, (_, f, supplies, buys) in enumerate(ranked[:top] if top is not None else ranked, 1):
        gap = gaps[f.link]
        if f.link not in owners:
            owners[f.link] = owner_of(gap)
        town = _located(f)
        targets.append(
            Target(
                rank=rank,
                link=f.link,
                link_name=gap.name,
                tier=gap.tier,
                action=gap.action or "补链",
                score=gap.score,
                firm=f.id,
                name=f.name,
                region=town.region if town else None,
                town=town.name if town else None,
                place=town.place if town else None,
                scale=f.scale,
                supplies=supplies,
                buys_from=buys,
                source=SourceRow(
                    file=(f.origin or "").removeprefix(REGISTER),
                    row=f.row,
                    reference=f.reference,
                    year=f.year,
                ),
                owner=owners[f.link],
            )
        )
    covered = {f.link for _, f, _, _ in ranked}
    outcome: Outcome = (
        "no_other_register"
        if not others
        else "no_gaps"
        if not gaps
        else "no_firms"
        if not ranked
        else "targets"
    )
    return TargetReport(
        chain=report.chain,
        town=report.town or "",
        region=region,
        outcome=outcome,
        regions=others,
        gaps=len(gaps),
        uncovered=[g for g in gaps if g not in covered],
        total=len(ranked),
        targets=targets,
    )


# -- over the graph -------------------------------------------------------------------------
def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def node_firms(G: nx.MultiDiGraph, links: Iterable[str]) -> list[FirmFacts]:
    """The firms operating in ``links``, one entry per OPERATES_IN fact, with their towns."""
    out = []
    seen: dict[str, tuple[list[TownFacts], list[str]]] = {}  # a firm's towns and links, once
    for link in links:
        if not G.has_node(link):
            continue
        for firm, d in edges(G, link, Rel.OPERATES_IN, out=False):
            a = G.nodes[firm]
            if a.get("label") != Label.FIRM.value:
                continue
            if firm not in seen:
                seen[firm] = (
                    _towns(G, firm),
                    sorted({v for v, _ in edges(G, firm, Rel.OPERATES_IN)}),
                )
            towns, operates = seen[firm]
            scale = a.get("scale")
            out.append(
                FirmFacts(
                    link=link,
                    id=firm,
                    name=str(a.get("name") or firm),
                    scale=scale if isinstance(scale, bool) else None,
                    reference=_str(a.get("reference")),
                    year=_int(a.get("year")),
                    links=operates,
                    origin=_str(d.get("origin")),
                    row=_int(d.get("row")),
                    towns=towns,
                )
            )
    return out


def _towns(G: nx.MultiDiGraph, firm: str) -> list[TownFacts]:
    return [
        TownFacts(
            id=t,
            name=_str(G.nodes[t].get("name")),
            region=_str(G.nodes[t].get("region")),
            place=_str(e.get("place")),
            origin=_str(e.get("origin")),
        )
        for t, e in edges(G, firm, Rel.LOCATED_IN)
    ]


def firm_regions(G: nx.MultiDiGraph) -> list[str]:
    """Regions of the towns that registers place firms in, sorted."""
    regions = set()
    for town in nodes_of(G, Label.TOWN):
        region = G.nodes[town].get("region")
        if isinstance(region, str) and has_edges(G, town, Rel.LOCATED_IN, out=False):
            regions.add(region)
    return sorted(regions)


def chain_targets(G: nx.MultiDiGraph, report: GapReport, top: int | None = None) -> TargetReport:
    """The investment targets of the gaps in ``report`` (a town's gaps with their owners).

    Raises:
        TownNeeded: ``report`` is not for a town.
    """
    if report.town is None:
        raise TownNeeded("Investment targets are for a town's county: name the town")
    template = template_from_graph(G, find_chain(G, report.chain))
    region = _str(G.nodes[report.town].get("region")) if G.has_node(report.town) else None
    links = [g.id for g in report.nodes if g.action]
    return rank_targets(report, template, region, node_firms(G, links), firm_regions(G), top)
