"""Chain gaps over a Cypher server: the facts come from ``queries/cypher/*.cypher``, the verdicts
from :func:`queries.gaps.classify` — the rules of 补链 / 延链 / 强链 live only there.

Each function mirrors its networkx twin: :func:`queries.chains.chain_summaries`,
:func:`queries.gaps.chain_gaps`, :func:`queries.gap_owners.attach_owners`. Where the networkx functions follow insertion order (the
links of a chain within a tier, chain leaders, the post holders of a unit), a server has no
such order: these come by id here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Literal, NamedTuple

from graph.chains import ORDER, ChainNode, ChainTemplate, Tier
from graph.errors import UnknownChain, UnknownNode
from graph.schema import chain_id, chain_node_id
from graph.store import CypherStore
from queries.chains import ChainSummary, TownRef, member_key
from queries.cypher_path import Row, run
from queries.gap_owners import INVESTMENT, OwnerKey, in_county, match_key, owner_key
from queries.gaps import GapReport, PersonRef, TaskRef, UnitRef, classify


def chain_summaries(db: CypherStore) -> list[ChainSummary]:
    """Every loaded chain with the towns bound to it, by id."""
    return [
        ChainSummary(
            id=r["id"],
            key=r["key"] or r["id"].removeprefix("chain:"),
            name=r["name"] or r["id"],
            name_en=r["name_en"],
            nodes=r["nodes"],
            firms=r["firms"],
            towns=sorted((TownRef(**t) for t in r["towns"]), key=lambda t: t.id),
        )
        for r in sorted(run(db, "list_chains"), key=lambda r: r["id"])
    ]


def find_chain(db: CypherStore, chain: str) -> Row:
    """The Chain row answering to ``chain``: its id, key, name or English name.

    Raises:
        UnknownChain: no Chain node answers to ``chain``.
    """
    rows = sorted(
        run(db, "find_chains", chain=chain, chain_id=chain_id(chain)), key=lambda r: r["id"]
    )
    for wanted in (chain, chain_id(chain)):
        for r in rows:
            if r["id"] == wanted:
                return r
    for r in rows:
        if chain in (r["name"], r["name_en"]):
            return r
    raise UnknownChain(f"No industry chain {chain!r} is loaded")


def _find_town(db: CypherStore, town: str) -> str:
    rows = run(db, "find_towns", town=town)
    if any(r["id"] == town for r in rows):
        return town
    named = sorted(r["id"] for r in rows if r["name"] == town)
    if len(named) == 1:
        return str(named[0])
    if named:
        raise UnknownNode(f"Town name {town!r} is ambiguous ({', '.join(named)}): pass its id")
    raise UnknownNode(f"No town {town!r} in the graph")


def template_from_store(db: CypherStore, chain: str) -> ChainTemplate:
    """Rebuild the template of a loaded chain from its Chain, ChainNode and SUPPLIES facts."""
    row = find_chain(db, chain)
    cid = row["id"]
    key = row["key"] or cid.removeprefix("chain:")
    members = sorted(run(db, "list_chain_nodes", chain=cid), key=member_key)
    local = {m["id"]: m["key"] or m["id"].removeprefix(chain_node_id(key, "")) for m in members}
    supplies: dict[str, list[str]] = defaultdict(list)
    for r in sorted(run(db, "list_chain_supplies", chain=cid), key=lambda r: r["target"]):
        if r["target"] in local:
            supplies[r["source"]].append(local[r["target"]])
    nodes = [
        ChainNode(
            id=local[m["id"]],
            name=m["name"] or local[m["id"]],
            gloss=m["gloss"],
            tier=m["tier"] if m["tier"] is not None else Tier.SERVICES.value,
            codes=m["codes"] or [],
            code_note=m["code_note"],
            supplies=list(dict.fromkeys(supplies[m["id"]])),
        )
        for m in members
    ]
    rank = {**{t.value: r for t, r in ORDER.items()}, Tier.SERVICES.value: len(ORDER)}
    nodes.sort(key=lambda n: rank[n.tier.value])
    return ChainTemplate(id=key, name=row["name"] or key, nodes=nodes)


def chain_gaps(
    db: CypherStore, chain: str, town: str | None = None, thin_below: int = 2
) -> GapReport:
    """Classify every node of a loaded chain by the firms in the store (see ``queries.gaps``).

    Raises:
        UnknownChain: no such chain. UnknownNode: no such town.
    """
    template = template_from_store(db, chain)
    town_node = _find_town(db, town) if town is not None else None
    ids = {chain_node_id(template.id, n.id): n.id for n in template.nodes}
    rows = run(db, "count_node_firms", nodes=sorted(ids), town=town_node)
    counts = {n.id: 0 for n in template.nodes}
    counts.update({ids[r["node"]]: int(r["firms"]) for r in rows})
    nodes = classify(template, counts, thin_below)
    return GapReport(chain=chain_id(template.id), town=town_node, nodes=nodes)


def _position(row: Row) -> tuple[str, int, str]:
    order = row["order"]
    return (str(row["doc"] or ""), order if isinstance(order, int) else 1 << 30, row["id"])


def _task_ref(row: Row, keyword: str | None) -> TaskRef:
    return TaskRef(
        id=row["id"],
        number=row["full_number"] or row["number"],
        title=row["title"],
        keyword=keyword,
    )


def _owners(
    db: CypherStore, tasks: list[str], leaders: list[PersonRef]
) -> tuple[list[UnitRef], list[PersonRef]]:
    index = {t: i for i, t in enumerate(tasks)}
    best: dict[str, tuple[OwnerKey, UnitRef]] = {}
    for r in sorted(
        run(db, "list_task_units", tasks=tasks), key=lambda r: (index[r["task"]], r["id"])
    ):
        key = owner_key(r["role"], r["order"], index[r["task"]])
        ref = UnitRef(id=r["id"], name=r["name"], role=r["role"], order=r["order"])
        if r["id"] not in best or key < best[r["id"]][0]:
            best[r["id"]] = (key, ref)
    units = [ref for _, ref in sorted(best.values(), key=lambda e: (e[0], e[1].id))]
    holders: dict[str, list[Row]] = defaultdict(list)
    if units:
        for r in run(db, "list_unit_holders", units=[u.id for u in units]):
            holders[r["unit"]].append(r)
    people = list(leaders)
    seen = {p.id for p in people}
    for unit in units:
        for r in sorted(holders[unit.id], key=lambda r: (r["id"], r["title"] or "")):
            if r["id"] not in seen:
                seen.add(r["id"])
                people.append(PersonRef(id=r["id"], name=r["name"], title=r["title"], unit=unit.id))
    return units, people


def attach_owners(db: CypherStore, report: GapReport) -> GapReport:
    """Fill ``tasks``, ``units``, ``people`` and ``reason`` of every gap (see ``queries.gaps``)."""
    leaders = [
        PersonRef(id=r["id"], name=r["name"], title=r["title"] or "链长", chain_leader=True)
        for r in sorted(
            run(db, "list_chain_leaders", chain=report.chain),
            key=lambda r: (r["id"], r["title"] or ""),
        )
    ]
    gaps = [g.id for g in report.nodes if g.action is not None]
    addressing: dict[str, list[Row]] = defaultdict(list)
    scope = _county(db, report.town)
    county = scope.keep if scope else None
    if gaps:
        # the county's tasks are picked in the database, and again here by the same rule
        docs, known = (scope.docs, scope.known) if scope else (None, [])
        for r in run(db, "list_addressing_tasks", nodes=gaps, docs=docs, known=known):
            if county is None or county(r):
                addressing[r["node"]].append(r)
    fallback: list[Row] | None = None
    nodes = []
    for gap in report.nodes:
        if gap.action is None:
            nodes.append(gap)
            continue
        matched: dict[str, tuple[Row, str | None]] = {}
        for r in sorted(addressing[gap.id], key=match_key):
            matched.setdefault(r["id"], (r, r["keyword"]))
        ordered = sorted(matched.values(), key=lambda m: _position(m[0]))
        reason: Literal["task match", "fallback"] | None = "task match" if ordered else None
        if not ordered:
            if fallback is None:
                fallback = _investment_tasks(db, county)
            ordered = [(r, None) for r in fallback]
            reason = "fallback" if ordered else None
        tasks = [_task_ref(r, keyword) for r, keyword in ordered]
        units, people = _owners(db, [t.id for t in tasks], leaders)
        nodes.append(
            gap.model_copy(
                update={"tasks": tasks, "units": units, "people": people, "reason": reason}
            )
        )
    return report.model_copy(update={"nodes": nodes})


def _investment_tasks(db: CypherStore, county: Callable[[Row], bool] | None) -> list[Row]:
    """Tasks mentioning 招商, of the town's county when there is a town (``in_county``)."""
    tasks = sorted(run(db, "list_investment_tasks", word=INVESTMENT), key=_position)
    return tasks if county is None else [t for t in tasks if county(t)]


class County(NamedTuple):
    """A town's county, as :func:`queries.gap_owners.in_county` draws it."""

    keep: Callable[[Row], bool]  # whether a task row (``id``, ``doc``) is the county's
    docs: list[str]  # the stored documents whose tasks are the county's
    known: list[str]  # every stored document (a task of none is the county's too)


def _county(db: CypherStore, town: str | None) -> County | None:
    """The county of a town's gaps (``in_county``); ``None`` without a town."""
    if town is None:
        return None
    scope = run(db, "list_town_scope", town=town)
    if not scope:
        return None
    region, naming = scope[0]["region"], set(scope[0]["docs"] or ())
    regions = {r["id"]: r["region"] for r in run(db, "list_document_regions")}

    def county(row: Row) -> bool:
        doc = row["doc"]
        return in_county(doc, regions.get(doc), region, naming)

    docs = sorted(d for d, r in regions.items() if in_county(d, r, region, naming))
    return County(county, docs, sorted(regions))
