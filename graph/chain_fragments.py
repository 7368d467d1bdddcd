"""The facts a chain template, its town bindings and an enterprise register state, as
fragments: they come from data files, not documents, so every edge names its file as
``origin`` and reloading the file replaces them.

>>> from graph.chains import ChainNode, ChainTemplate
>>> t = ChainTemplate(id="demo", name="演示", nodes=[
...     ChainNode(id="ore", name="矿石", tier="upstream", supplies=["metal"]),
...     ChainNode(id="metal", name="金属", tier="midstream")])
>>> sorted(chain_fragment(t).nodes)
['chain:demo', 'chainnode:demo:metal', 'chainnode:demo:ore']
"""

from __future__ import annotations

from typing import Any

from graph.chains import BINDINGS_FILE, ChainTemplate, Register, TownBinding
from graph.fragment import Fragment
from graph.schema import Label, Rel, chain_id, chain_node_id, firm_id, town_id


def provenance_edge(
    fragment: Fragment, start: str, end: str, rel: Rel, origin: str, **attrs: Any
) -> None:
    """Add an edge stated by the data file ``origin``; reloading that file replaces it."""
    fragment.edge(start, end, rel, attrs.pop("discriminator", ""), origin=origin, **attrs)
    if origin not in fragment.sources:
        fragment.sources.append(origin)


def chain_fragment(template: ChainTemplate) -> Fragment:
    """The Chain node, its ChainNode nodes, HAS_NODE and SUPPLIES edges.

    Facts carry ``source="chain:<file>"`` instead of ``doc``: they come from no document.
    """
    source = f"chain:{template.file or template.id}"
    fragment = Fragment()
    cid = chain_id(template.id)
    fragment.node(
        cid,
        Label.CHAIN,
        name=template.name,
        name_en=template.name_en,
        key=template.id,
        sources=list(template.sources),
        source=source,
    )
    for order, n in enumerate(template.nodes):
        nid = chain_node_id(template.id, n.id)
        fragment.node(
            nid,
            Label.CHAIN_NODE,
            order=order,
            name=n.name,
            gloss=n.gloss,
            tier=n.tier.value,
            codes=list(n.codes),
            code_note=n.code_note,
            keywords=list(n.keywords),
            synonyms=list(n.synonyms),
            key=n.id,
            chain=cid,
            source=source,
        )
        provenance_edge(fragment, cid, nid, Rel.HAS_NODE, source)
    for u, v in template.edges:
        provenance_edge(
            fragment,
            chain_node_id(template.id, u),
            chain_node_id(template.id, v),
            Rel.SUPPLIES,
            source,
        )
    return fragment


def register_fragment(register: Register, region: str) -> Fragment:
    """Firm nodes with OPERATES_IN → ChainNode and LOCATED_IN → Town (``town_id(region, town)``,
    the row's own ``region`` when it names one, else ``region``).

    Facts carry ``source="register:<file>"``; the row's own source column (where the firm was
    reported) becomes the Firm attribute ``reference``. ChainNode ends are added label-only, so
    load the chain fragments too (before or after: attributes merge).
    """
    source = f"register:{register.file}"
    fragment = Fragment()
    for row in register.rows:
        fid = firm_id(row.name)
        fragment.node(
            fid,
            Label.FIRM,
            name=row.name,
            scale=row.scale,
            founded=row.founded,
            reference=row.source,
            year=row.year,
            note=row.note,
            source=source,
        )
        where = row.region or region
        tid = town_id(where, row.town)
        fragment.node(tid, Label.TOWN, name=row.town, region=where)
        provenance_edge(fragment, fid, tid, Rel.LOCATED_IN, source, place=row.place)
        for nid in row.nodes:
            fragment.node(nid, Label.CHAIN_NODE)
            provenance_edge(fragment, fid, nid, Rel.OPERATES_IN, source, row=row.row)
    return fragment


def binding_fragment(
    bindings: list[TownBinding], region: str, source: str = f"chain:{BINDINGS_FILE}"
) -> Fragment:
    """Town -FEATURES-> Chain for each binding (``region`` when the binding names none)."""
    fragment = Fragment()
    for b in bindings:
        where = b.region or region
        tid = town_id(where, b.town)
        fragment.node(tid, Label.TOWN, name=b.town, region=where)
        fragment.node(chain_id(b.chain), Label.CHAIN)
        provenance_edge(fragment, tid, chain_id(b.chain), Rel.FEATURES, source)
    return fragment
