"""Find nodes by name and explore a node's neighbourhood — over networkx."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from graph.errors import AnswerTooLarge, UnknownNode
from graph.schema import Label, Rel
from queries.answers import Hit, NodeLink
from queries.responsibility import edges

if TYPE_CHECKING:
    import networkx as nx

SEARCHABLE = ("name", "title", "doc_number")
LABEL_RANK = {
    label.value: i
    for i, label in enumerate(
        [
            Label.UNIT,
            Label.PERSON,
            Label.TASK,
            Label.GROUP,
            Label.TOWN,
            Label.CHAIN,
            Label.CHAIN_NODE,
            Label.FIRM,
            Label.DOCUMENT,
            Label.SECTION,
            Label.MECHANISM,
        ]
    )
}


def search(G: nx.MultiDiGraph, q: str, limit: int = 50) -> list[Hit]:
    """Nodes whose name, title or number contains ``q`` (exact matches first).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("u", label="Unit", name="县工业和信息化局")
    >>> [h.name for h in search(G, "信息化")]
    ['县工业和信息化局']
    """
    q = q.strip()
    if not q:
        return []
    hits = []
    for n, d in G.nodes(data=True):
        for attr in SEARCHABLE:
            value = d.get(attr)
            if isinstance(value, str) and q in value:
                hits.append(
                    Hit(
                        id=n,
                        label=d.get("label", ""),
                        name=str(d.get("name", n)),
                        region=d.get("region"),
                        matched=value,
                    )
                )
                break
    hits.sort(key=lambda h: hit_key(h, q))
    return hits[:limit]


class NameIndex:
    """Every node's searchable values in one text, nodes in :func:`hit_key` order, so that a
    search is ``str.find`` over the text and stops once it has its ``limit`` of hits.

    Apart from exact matches, which come first, :func:`hit_key` orders hits by label rank,
    name length and id, which do not depend on the query: the nodes are sorted so once, and
    the first hits found are the best. A node's values (name, title, number) sit together in
    ``SEARCHABLE`` order, separated by NUL, so the first occurrence of the query in a node's
    stretch is in the value :func:`search` reports as ``matched``. A query holding NUL is
    answered by a scan.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("t", label="Task", name="甲", title="县工信局牵头")
    >>> G.add_node("u", label="Unit", name="县工信局")
    >>> [(h.id, h.matched) for h in NameIndex(G).search("工信")]
    [('u', '县工信局'), ('t', '县工信局牵头')]
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        rows = []
        for n, d in G.nodes(data=True):
            values = tuple(v for a in SEARCHABLE if isinstance(v := d.get(a), str))
            if values:
                name = str(d.get("name", n))
                rows.append(((LABEL_RANK.get(d.get("label", ""), 99), len(name), n), n, d, values))
        rows.sort(key=lambda r: r[0])
        self._nodes = [(n, d, values) for _, n, d, values in rows]
        starts, text, at = [], [], 0
        self._exact: dict[str, list[int]] = {}
        for i, (_, _, values) in enumerate(self._nodes):
            starts.append(at)
            for v in values:
                self._exact.setdefault(v, []).append(i)
                text.append(v)
                at += len(v) + 1
        self._starts = starts
        self._text = "\0".join(text) + "\0"

    def _matched(self, i: int, q: str) -> str | None:
        return next((v for v in self._nodes[i][2] if q in v), None)

    def _hit(self, i: int, matched: str) -> Hit:
        n, d, _ = self._nodes[i]
        return Hit(
            id=n,
            label=d.get("label", ""),
            name=str(d.get("name", n)),
            region=d.get("region"),
            matched=matched,
        )

    def search(self, q: str, limit: int = 50) -> list[Hit]:
        """As :func:`search` over the graph indexed."""
        q = q.strip()
        if not q or limit == 0:
            return []
        if limit < 0:  # as a slice of every hit, which is what the scan gives
            return self.search(q, len(self._nodes))[:limit]
        exact = sorted(i for i in dict.fromkeys(self._exact.get(q, ())) if self._matched(i, q) == q)
        hits = [self._hit(i, q) for i in exact[:limit]]
        skip = set(exact)
        if "\0" in q:
            nodes: Iterator[int] = (i for i in range(len(self._nodes)) if self._matched(i, q))
        else:
            nodes = self._finds(q)
        for i in nodes:
            if len(hits) >= limit:
                break
            if i not in skip:
                hits.append(self._hit(i, self._matched(i, q) or ""))
        return hits

    def _finds(self, q: str) -> Iterator[int]:
        """The nodes whose values hold ``q``, in index order."""
        text, starts = self._text, self._starts
        at = text.find(q)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            yield i
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            at = text.find(q, end)


def hit_key(hit: Hit, q: str) -> tuple[bool, int, int, str]:
    """Sort key of a search hit: exact matches, then by label rank, shorter names, id."""
    return (hit.matched != q, LABEL_RANK.get(hit.label, 99), len(hit.name), hit.id)


EXACT, ALIAS, PREFIX, SUBSTRING = range(4)


def match_rank(hit: Hit, q: str, alias: str | None = None) -> int:
    """How well ``hit`` answers ``q``: exact name > alias > prefix > substring.

    ``alias`` is the roster name that led to the hit (县工信局 for 县工业和信息化局), if any. A
    prefix ignores the level character (县/市/省/区) units are written with.

    >>> h = Hit(id="u", label="Unit", name="县工业和信息化局")
    >>> [match_rank(h, q) for q in ("县工业和信息化局", "工业", "信息化")]
    [0, 2, 3]
    >>> match_rank(h, "县工信局", alias="县工信局"), match_rank(h, "工信", alias="县工信局")
    (1, 3)
    """
    q = q.strip()
    if hit.name == q or hit.matched == q:
        return EXACT
    if alias is not None and alias.lstrip("省市县区旗") == q.lstrip("省市县区旗"):
        return ALIAS
    name = hit.name
    if name.startswith(q) or (name[:1] in "省市县区旗" and name[1:].startswith(q)):
        return PREFIX
    return SUBSTRING


def ranked(hits: list[tuple[Hit, str | None]], q: str, limit: int = 50) -> list[Hit]:
    """``(hit, alias)`` pairs ranked by :func:`match_rank`, then as :func:`hit_key` does;
    one hit per node (its best match)."""
    best: dict[str, tuple[tuple[int, bool, int, int, str], Hit]] = {}
    for hit, alias in hits:
        key = (match_rank(hit, q, alias), *hit_key(hit, q))
        if hit.id not in best or key < best[hit.id][0]:
            best[hit.id] = (key, hit)
    return [h for _, h in sorted(best.values(), key=lambda kv: kv[0])][:limit]


def node_view(node_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A node's public attributes (long text left out)."""
    return {"id": node_id, **{k: v for k, v in data.items() if k not in ("text",)}}


def link_view(source: str, target: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """An edge as a node-link link: ends and key, then its attributes (``type`` among them)."""
    return {"source": source, "target": target, "key": key, **data}


def neighbourhood(
    G: nx.MultiDiGraph,
    focus: str | None = None,
    depth: int = 1,
    types: list[str] | None = None,
    region: str | None = None,
    limit: int | None = None,
) -> NodeLink:
    """Node-link JSON of ``focus`` and the nodes within ``depth`` hops (either direction).

    Without ``focus``, the whole graph. ``types`` keeps only nodes with those labels, ``region``
    only the nodes of that region and those of none (see :func:`kept_nodes`); the focus always
    stays. Nodes come in id order, links by source, target and key.

    Raises:
        UnknownNode: ``focus`` is not a node id.
        AnswerTooLarge: more than ``limit`` nodes would be kept.
    """
    if focus is not None and not G.has_node(focus):
        raise UnknownNode(f"No node with id {focus!r}")
    if focus is None:
        keep = set(G.nodes)
    else:
        keep = {focus}
        frontier = {focus}
        for _ in range(max(depth, 0)):
            nxt = set()
            for n in frontier:
                nxt.update(G.successors(n))
                nxt.update(G.predecessors(n))
            frontier = nxt - keep
            keep |= frontier
    if types or region is not None or limit is not None:
        found = ((n, G.nodes[n].get("label")) for n in keep)
        keep = set(kept_nodes(found, focus, types, region, limit, lambda n: graph_region(G, n)))
    nodes = [node_view(n, G.nodes[n]) for n in sorted(keep)]
    edges = sorted(
        (  # only the edges of the nodes kept: a focus costs its neighbourhood, not the graph
            (u, v, k, d)
            for u in keep
            for _, v, k, d in G.out_edges(u, keys=True, data=True)
            if v in keep
        ),
        key=lambda e: (e[0], e[1], e[2]),
    )
    links = [link_view(u, v, k, d) for u, v, k, d in edges]
    return NodeLink(nodes=nodes, links=links)


def node_region(
    data: Mapping[str, Any], doc_region: Callable[[str], Any], located: Any = None
) -> str | None:
    """The region a node is of: its own (documents, units, people, groups, towns), else its
    document's (tasks, sections, mechanisms), else where it is ``located`` (a firm: its town's
    region); none for what no county owns (chains and their links).

    >>> node_region({"region": "泽州县"}, {}.get), node_region({"doc": "d"}, {"d": "阳城县"}.get)
    ('泽州县', '阳城县')
    >>> node_region({"label": "Firm"}, {}.get, "泽州县"), node_region({"label": "Chain"}, {}.get)
    ('泽州县', None)
    """
    doc = data.get("doc")
    found = data.get("region") or (doc_region(str(doc)) if doc else None) or located
    return str(found) if found else None


def graph_region(G: nx.MultiDiGraph, n: str) -> str | None:
    """:func:`node_region` of node ``n`` of ``G`` (a firm's town found by its LOCATED_IN edge)."""
    attrs = G.nodes
    located = None
    if attrs[n].get("label") == Label.FIRM:
        located = next((attrs[t].get("region") for t, _ in edges(G, n, Rel.LOCATED_IN)), None)
    return node_region(attrs[n], lambda d: attrs[d].get("region") if d in attrs else None, located)


def kept_nodes(
    found: Iterable[tuple[str, Any]],
    focus: str | None,
    types: list[str] | None,
    region: str | None,
    limit: int | None,
    region_of: Callable[[str], str | None],
) -> list[str]:
    """The ids of ``(id, label)`` a neighbourhood keeps.

    ``types`` keeps those labels; ``region`` the nodes ``region_of`` puts in that region and
    those of none (chains and their links), which every county's view shares. The focus always
    stays.

    >>> found, where = [("a", "Unit"), ("b", "Unit"), ("c", "Chain")], {"a": "甲", "b": "乙"}
    >>> kept_nodes(found, None, None, "甲", None, where.get)
    ['a', 'c']
    >>> kept_nodes(found, "b", ["Chain"], None, 5, where.get)
    ['b', 'c']
    >>> kept_nodes(found, None, None, None, 2, where.get)
    Traceback (most recent call last):
    ...
    graph.errors.AnswerTooLarge: The answer has 3 nodes, more than the limit of 2: give a focus, a smaller depth, node types or a region
    """
    keep = [
        n
        for n, label in found
        if n == focus
        or ((not types or label in types) and (region is None or region_of(n) in (region, None)))
    ]
    if limit is not None and len(keep) > limit:
        raise AnswerTooLarge(
            f"The answer has {len(keep):,} nodes, more than the limit of {limit:,}: give a "
            "focus, a smaller depth, node types or a region",
            len(keep),
        )
    return keep
