"""Investment targets over a Cypher server: the facts come from ``list_node_firms`` and
``list_firm_regions`` (``queries/cypher``), the ranking from :func:`queries.targets.rank_targets`
— the rules live only there. Mirrors :func:`queries.targets.chain_targets`.
"""

from __future__ import annotations

from graph.errors import TownNeeded
from graph.store import CypherStore
from queries.cypher_gaps import template_from_store
from queries.cypher_path import run
from queries.gaps import GapReport
from queries.targets import FirmFacts, TargetReport, TownFacts, rank_targets


def chain_targets(db: CypherStore, report: GapReport, top: int | None = None) -> TargetReport:
    """The investment targets of the gaps in ``report`` (a town's gaps with their owners).

    Raises:
        TownNeeded: ``report`` is not for a town.
    """
    if report.town is None:
        raise TownNeeded("Investment targets are for a town's county: name the town")
    template = template_from_store(db, report.chain)
    town = run(db, "list_nodes", ids=[report.town])
    region = town[0]["props"].get("region") if town else None
    links = [g.id for g in report.nodes if g.action]
    firms = [
        FirmFacts(
            link=r["link"],
            id=r["id"],
            name=r["name"] or r["id"],
            scale=r["scale"] if isinstance(r["scale"], bool) else None,
            reference=r["reference"],
            year=r["year"],
            links=sorted(set(r["links"])),
            origin=r["origin"],
            row=r["row"],
            towns=[TownFacts(**t) for t in r["towns"] if t and t.get("id")],
        )
        for r in (run(db, "list_node_firms", nodes=links) if links else [])
    ]
    regions = [r["region"] for r in run(db, "list_firm_regions")]
    return rank_targets(report, template, region, firms, regions, top)
