"""A fragment of the graph: the nodes and edges one source contributes, before they are stored.

Every store loads fragments. A node is ``(id, attrs)`` with ``attrs["label"]`` a
:class:`~graph.schema.Label`; an edge is ``(source, target, key, attrs)`` with
``attrs["type"]`` a :class:`~graph.schema.Rel` and a stable ``key``, so loading the same fragment
twice changes nothing. Facts stated by a document carry ``attrs["doc"]`` (the document node id);
replacing that document removes exactly them. What a document says about a shared node (a
Unit's kind, a Group's office) is a *claim* (``graph.claims``): kept per document, the node
shows what the remaining documents' claims derive. Edges from data files (chain templates,
registers) carry ``attrs["origin"]`` instead; reloading a file replaces the edges it stated.

>>> f = Fragment()
>>> f.node("unit:泽州县:县教育局", Label.UNIT, name="县教育局")
>>> f.edge("unit:泽州县:县教育局", "task:x:三.2", Rel.RESPONSIBLE_FOR, doc="doc:x", role="responsible")
>>> len(f.nodes), f.edges[0][2]
(1, 'RESPONSIBLE_FOR|doc:x')
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_json

from graph.claims import Claims, claim, merge_claims
from graph.schema import Label, Rel

Attrs = dict[str, Any]
EdgeKey = tuple[str, str, str]  # (source, target, key)


@dataclass
class Fragment:
    """Nodes and edges to merge into a store (later attributes of a node win)."""

    nodes: dict[str, Attrs] = field(default_factory=dict)
    edges: list[tuple[str, str, str, Attrs]] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)  # document ids whose facts this replaces
    sources: list[str] = field(default_factory=list)  # data sources whose edges this replaces
    claims: dict[str, Claims] = field(default_factory=dict)  # node id -> claims by document

    def node(self, node_id: str, label: Label, **attrs: Any) -> None:
        """Add a node, or update the attributes of one already in the fragment."""
        current = self.nodes.get(node_id)
        if current is None:
            current = self.nodes[node_id] = {"label": label._value_}
        for k, v in attrs.items():
            if v is not None:
                current[k] = v

    def claim(self, node_id: str, doc: str, date: str | None = None, **attrs: Any) -> None:
        """Record what document ``doc`` (dated ``date``) states about a shared node.

        >>> f = Fragment(); f.node("group:甲:领导小组", Label.GROUP, name="领导小组")
        >>> f.claim("group:甲:领导小组", "doc:x", "2023-06-26", office_unit="县工信局")
        >>> f.claims["group:甲:领导小组"]["doc:x"]["attrs"]
        {'office_unit': '县工信局'}
        """
        stated = claim(attrs, date)
        mine = self.claims.get(node_id)
        if mine is None:
            self.claims[node_id] = {doc: stated}
        elif doc in mine:
            mine[doc] = claim({**mine[doc]["attrs"], **stated["attrs"]}, date)
        else:
            mine[doc] = stated

    def edge(
        self, start: str, end: str, rel: Rel, discriminator: str = "", /, **attrs: Any
    ) -> None:
        """Add an edge; its key is the type, the stating document (or source) and a discriminator."""
        # ``_value_``: an enum's ``value`` is a property, a Python call per edge
        key = rel._value_
        origin = attrs.get("doc") or attrs.get("origin")
        if origin:
            key = f"{key}|{origin}"
        if discriminator:
            key = f"{key}|{discriminator}"
        if None in attrs.values():
            attrs = {k: v for k, v in attrs.items() if v is not None}
        attrs["type"] = rel._value_
        self.edges.append((start, end, key, attrs))

    def merge(self, other: Fragment) -> None:
        """Add the nodes and edges of ``other`` to this fragment.

        Node attributes are copied; edges are shared with ``other`` (stores copy them as they
        load, and nothing changes an edge once stated).
        """
        nodes = self.nodes
        for node_id, attrs in other.nodes.items():
            mine = nodes.get(node_id)
            if mine is None:
                nodes[node_id] = dict(attrs)
            else:
                mine.update(attrs)
        self.edges.extend(other.edges)
        self.docs.extend(d for d in other.docs if d not in self.docs)
        self.sources.extend(s for s in other.sources if s not in self.sources)
        merge_claims(self.claims, other.claims)


def unique_edges(
    fragment: Fragment, origins: Collection[str] | None = None
) -> dict[EdgeKey, Attrs]:
    """The fragment's edges (only those of data files ``origins`` when given) by (source,
    target, key), later attributes merged over earlier.

    An edge stated once is taken as it is, and its attributes are copied only when another
    statement of its key comes: a batch of plans holds the templates' edges once per plan,
    shared (``Fragment.merge``), ~15k repeats in 100 plans, and a repeat of the statement
    held adds nothing. (A repeat after another statement of the key is merged again, so the
    later one still wins.) The attributes are shared with the fragment, whose edges nothing
    changes once stated.
    """
    out: dict[EdgeKey, Attrs] = {}
    for edge in fragment.edges:
        attrs = edge[3]
        if origins is None or attrs.get("origin") in origins:
            key = (edge[0], edge[1], edge[2])
            held = out.get(key)
            if held is None:
                out[key] = attrs
            elif held is not attrs:
                out[key] = {**held, **attrs}
    return out


def source_digests(edges: dict[EdgeKey, Attrs], origins: Iterable[str]) -> dict[str, str]:
    """A digest of the edges each data file of ``origins`` states (order-free): equal digests,
    equal edges. Stores keep it per file, so a fragment restating a file as stored (every plan
    carries the chain templates) changes nothing and costs no scan for the file's old edges.

    One pass groups the edges by file; a file stated as the last time it was digested costs a
    comparison of its edges, not a digest.

    >>> e = {("a", "b", "k"): {"origin": "chain:x.yaml", "type": "SUPPLIES"}}
    >>> source_digests(e, ["chain:x.yaml"]) == source_digests(dict(reversed(e.items())), ["chain:x.yaml"])
    True
    """
    groups: dict[str, dict[EdgeKey, Attrs]] = {o: {} for o in origins}
    for edge, attrs in edges.items():
        group = groups.get(attrs.get("origin"))  # type: ignore[arg-type]
        if group is not None:
            group[edge] = attrs
    out = {}
    for origin, group in groups.items():
        kept = _DIGESTS.get(origin)
        if kept is None or kept[0] != group:
            if len(_DIGESTS) > 256:
                _DIGESTS.clear()
            kept = _DIGESTS[origin] = (group, _digest(group))
        out[origin] = kept[1]
    return out


_DIGESTS: dict[str, tuple[dict[EdgeKey, Attrs], str]] = {}  # origin -> (edges, their digest)


def _digest(edges: dict[EdgeKey, Attrs]) -> str:
    stated = sorted(
        to_json([s, t, k, sorted(a.items())]).decode() for (s, t, k), a in edges.items()
    )
    return hashlib.sha256("\n".join(stated).encode("utf-8")).hexdigest()
