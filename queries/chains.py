"""Loaded industry chains over networkx: find one, rebuild its template, list them with towns.

A chain template (``graph.chains``) is loaded as Chain, ChainNode and SUPPLIES facts; these
functions read it back. :mod:`queries.gaps` classifies the links of a chain by its firms,
:mod:`queries.cypher_gaps` asks the same of a Cypher store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from pydantic import Field

from graph.chains import ORDER, ChainNode, ChainTemplate, Tier
from graph.errors import UnknownChain, UnknownNode
from graph.schema import Label, Rel, chain_id, chain_node_id
from queries.answers import Answer
from queries.responsibility import edges


def typed_edges(G: nx.MultiDiGraph, node: str, rel: Rel, inbound: bool = True) -> list[Any]:
    """The ``rel`` edges entering (or leaving) ``node``, as ``(u, v, data)``
    (:func:`queries.responsibility.edges` with both ends)."""
    if inbound:
        return [(u, node, d) for u, d in edges(G, node, rel, out=False)]
    return [(node, v, d) for v, d in edges(G, node, rel)]


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


def find_town(G: nx.MultiDiGraph, town: str) -> str:
    """Id of the Town node ``town`` names: its id, or a name only one town has.

    Raises:
        UnknownNode: no such town, or a name several towns share.
    """
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
        (v for _, v, _ in typed_edges(G, cid, Rel.HAS_NODE, inbound=False)),
        key=lambda m: member_key({"id": m, "order": G.nodes[m].get("order")}),
    )
    local = {m: G.nodes[m].get("key") or m.removeprefix(chain_node_id(key, "")) for m in members}
    nodes = []
    for m in members:
        d = G.nodes[m]
        supplies = [
            local[v]
            for v in sorted(v for _, v, _ in typed_edges(G, m, Rel.SUPPLIES, inbound=False))
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


def named_chain(chains: Iterable[ChainSummary], chain: str) -> ChainSummary | None:
    """The chain of ``chains`` that ``chain`` names (its id, key, name or English name).

    >>> c = ChainSummary(id="chain:foundry", key="foundry", name="铸造", nodes=1, firms=0)
    >>> named_chain([c], "铸造") is c, named_chain([c], "钢铁")
    (True, None)
    """
    return next((c for c in chains if chain in (c.id, c.key, c.name, c.name_en)), None)


def chain_summaries(G: nx.MultiDiGraph) -> list[ChainSummary]:
    """Every loaded chain with the towns bound to it, by id."""
    out = []
    for cid, d in sorted(G.nodes(data=True)):
        if d.get("label") != Label.CHAIN.value:
            continue
        members = [v for _, v, _ in typed_edges(G, cid, Rel.HAS_NODE, inbound=False)]
        firms = {f for m in members for f, _, _ in typed_edges(G, m, Rel.OPERATES_IN)}
        towns = [
            TownRef(id=t, name=G.nodes[t].get("name", t), region=G.nodes[t].get("region"))
            for t, _, _ in typed_edges(G, cid, Rel.FEATURES)
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
