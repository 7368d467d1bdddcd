"""What each document states about a shared node, and the value the node shows.

Shared nodes (units, groups) are merged across documents by their region-scoped ids. What a
document says about one — a Unit's kind, a Group's office and the posts that direct it — is
kept per document as a *claim*; the attributes the node shows are derived from the claims of
the documents that remain. Removing, re-ingesting or reordering documents therefore gives the
node a store holding the same documents afresh would give it.

Claims are ``{document id: {"date": …, "attrs": {…}}}``. The derivation is independent of the
order documents arrived in: claims are ranked by the document's date, then its id, and for
each *block* of attributes that belong together (the office: its unit, director and deputy)
the highest-ranked claim stating any of them supplies the whole block — a newer plan that
moves a group's office moves its director with it, and one that names no office leaves the
office another plan named. Any other attribute is a block of its own.

Stores keep claims out of the node's attributes: the JSON store in the graph's
``zhenkg_claims`` map, the SQLite store in its ``claims`` table, the Cypher stores in a
``_claims`` property (JSON text) that their reads leave out.

>>> claims = {
...     "doc:b": claim({"office_unit": "县发改局", "director_title": "局长"}, "2023-07-01"),
...     "doc:a": claim({"office_unit": "县工信局"}, "2023-06-26"),
... }
>>> visible(claims)
{'office_unit': '县发改局', 'director_title': '局长'}
>>> visible(without(claims, ["doc:b"]))
{'office_unit': '县工信局'}
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, MutableMapping
from typing import Any

Claim = dict[str, Any]  # {"date": str | None, "attrs": {name: value}}
Claims = dict[str, Claim]  # by document id

GRAPH_KEY = "zhenkg_claims"  # networkx: G.graph[GRAPH_KEY] = {node id: Claims}
PROPERTY = "_claims"  # Cypher stores: the node property holding Claims as JSON text

BLOCKS: tuple[tuple[str, ...], ...] = (
    ("office_unit", "director_unit", "director_title", "deputy_unit", "deputy_title"),
)
_BLOCK_OF = {key: block for block in BLOCKS for key in block}


def claim(attrs: Mapping[str, Any], date: str | None = None) -> Claim:
    """One document's claim: the attributes it states (``None`` dropped) and its date."""
    return {"date": date, "attrs": {k: v for k, v in attrs.items() if v is not None}}


def _rank(item: tuple[str, Claim]) -> tuple[str, str]:
    doc, c = item
    return (str(c.get("date") or ""), doc)


def visible(claims: Mapping[str, Claim]) -> dict[str, Any]:
    """The attributes a node shows, derived from its documents' claims (order-free).

    >>> visible({"doc:x": claim({"kind": "bureau"}), "doc:y": claim({"kind": "upper"})})
    {'kind': 'upper'}
    >>> visible({})
    {}
    """
    out: dict[str, Any] = {}
    done: set[tuple[str, ...]] = set()
    for _, c in sorted(claims.items(), key=_rank, reverse=True):
        attrs: Mapping[str, Any] = c.get("attrs") or {}
        for key in attrs:
            block = _BLOCK_OF.get(key, (key,))
            if block in done:
                continue
            done.add(block)
            out.update({k: attrs[k] for k in block if k in attrs})
    return out


def claimed_keys(*claim_sets: Mapping[str, Claim]) -> set[str]:
    """Every attribute any of the claims states."""
    return {k for claims in claim_sets for c in claims.values() for k in (c.get("attrs") or {})}


def without(claims: Mapping[str, Claim], docs: Collection[str]) -> Claims:
    """The claims of every document but ``docs``."""
    return {d: c for d, c in claims.items() if d not in docs}


def restate(attrs: MutableMapping[str, Any], before: Mapping[str, Claim], after: Claims) -> bool:
    """Make a node's attributes show ``after`` where they showed ``before``; whether they changed.

    Attributes no claim ever stated (its label, name, region) are left alone.

    >>> node = {"name": "领导小组", "office_unit": "县工信局"}
    >>> restate(node, {"doc:a": claim({"office_unit": "县工信局"})}, {}), node
    (True, {'name': '领导小组'})
    """
    old = dict(attrs)
    for key in claimed_keys(before, after):
        attrs.pop(key, None)
    attrs.update(visible(after))
    return dict(attrs) != old


def merge_claims(into: MutableMapping[str, Claims], more: Mapping[str, Claims]) -> None:
    """Add the claims of ``more`` (node id → claims) to ``into``; a document's later claim on
    a node adds to its earlier one."""
    for node, claims in more.items():
        mine = into.setdefault(node, {})
        for doc, c in claims.items():
            if doc in mine:
                merged = claim({**mine[doc]["attrs"], **c["attrs"]}, c.get("date"))
                mine[doc] = merged
            else:
                mine[doc] = {"date": c.get("date"), "attrs": dict(c.get("attrs") or {})}


def encode(claims: Mapping[str, Claim]) -> str:
    """Claims as JSON text (the SQLite and Cypher stores keep them so)."""
    return json.dumps(claims, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode(raw: Any) -> Claims:
    """Claims from JSON text (or as they are, or none).

    >>> decode(encode({"doc:a": claim({"kind": "bureau"})}))
    {'doc:a': {'attrs': {'kind': 'bureau'}, 'date': None}}
    """
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        raw = json.loads(raw)
    return {str(d): dict(c) for d, c in dict(raw).items()}


def strip_property(rows: Iterable[Any]) -> None:
    """Drop :data:`PROPERTY` from every map in Cypher result rows (in place)."""
    stack = list(rows)
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            value.pop(PROPERTY, None)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
