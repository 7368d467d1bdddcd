"""Reading the SQLite store back as networkx: the whole graph, or the part one question needs
(:meth:`graph.sqlite_store.SqliteStore.read_part`), through the indexes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from graph.claims import GRAPH_KEY, Claims
from graph.fragment import Attrs
from graph.networkx_graph import add_edges, new_graph
from graph.schema import Label, Rel
from graph.sqlite_file import SURFACE_LOOKUP
from graph.sqlite_rows import chunks, marks, parse_json

if TYPE_CHECKING:
    import networkx as nx


# -- reading ---------------------------------------------------------------------------------
def materialise(conn: sqlite3.Connection) -> nx.MultiDiGraph:
    """Every node and edge, in insertion order, as a ``MultiDiGraph``."""
    G = new_graph()
    keys: dict[int, str] = {}
    nodes = []
    for node, key, attrs in conn.execute("SELECT id, key, attrs FROM nodes ORDER BY id"):
        keys[node] = key
        nodes.append((key, parse_json(attrs)))
    G.add_nodes_from(nodes)
    add_edges(
        G,
        (
            (keys[src], keys[dst], key, parse_json(attrs))
            for src, dst, key, attrs in conn.execute(
                "SELECT src, dst, key, attrs FROM edges ORDER BY id"
            )
        ),
    )
    claims: dict[str, Claims] = {}
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'claims'").fetchone():
        for node, doc, raw in conn.execute(
            "SELECT node, doc, claim FROM claims ORDER BY node, doc"
        ):
            claims.setdefault(keys[node], {})[str(doc)] = parse_json(raw)
    G.graph[GRAPH_KEY] = claims
    return G


# A task row's Document without its version history: ``versions`` (each earlier version's
# digest and task ids) is most of a Document's JSON — 5 KB of 5 at province scale, 0.14 s to
# parse for the 831 documents of one bureau's tasks — and no part's question reads it.
BRIEF_DOCUMENT = "json_remove(attrs, '$.versions')"
# A Task without its text (a third of the Tasks' JSON), which no row, matrix or count reads.
BRIEF_TASK = "json_remove(attrs, '$.text')"


class Part:
    """Nodes and edges read so far, by row id; :meth:`graph` puts them in table order."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.nodes: dict[int, tuple[str, Attrs]] = {}
        self.edges: dict[int, tuple[int, int, str, Attrs]] = {}

    def add_nodes(self, where: str, params: Sequence[Any] = (), attrs: str = "attrs") -> list[int]:
        """Nodes ``WHERE where``, their attributes read as the SQL expression ``attrs``; their
        row ids."""
        found = []
        for node, key, raw in self.conn.execute(
            f"SELECT id, key, {attrs} FROM nodes WHERE {where}", params
        ):
            found.append(node)
            if node not in self.nodes:
                self.nodes[node] = (key, parse_json(raw))
        return found

    def add_ids(self, ids: Collection[int]) -> None:
        missing = sorted(set(ids) - self.nodes.keys())
        for chunk in chunks(missing):
            self.add_nodes(f"id IN ({marks(len(chunk))})", chunk)

    def add_edges(self, nodes: Collection[int], rel: Rel, out: bool) -> list[int]:
        """The ``rel`` edges leaving (``out``) or entering ``nodes``, with both ends; the ids of
        the nodes at the other end."""
        end = "src" if out else "dst"
        ends = []
        for chunk in chunks(sorted(set(nodes))):
            for edge, src, dst, key, attrs in self.conn.execute(
                f"SELECT id, src, dst, key, attrs FROM edges WHERE {end} IN "
                f"({marks(len(chunk))}) AND type = ?",
                (*chunk, rel.value),
            ):
                if edge not in self.edges:
                    self.edges[edge] = (src, dst, key, parse_json(attrs))
                ends.append(dst if out else src)
        self.add_ids(ends)
        self.add_ids(nodes)
        return ends

    def add_every_edge(self, rel: Rel) -> None:
        """Every ``rel`` edge of the store, with both ends (one pass over the edges, where
        asking for them node by node would look each node up in the index)."""
        ends: list[int] = []
        for edge, src, dst, key, attrs in self.conn.execute(
            "SELECT id, src, dst, key, attrs FROM edges WHERE type = ?", (rel.value,)
        ):
            if edge not in self.edges:
                self.edges[edge] = (src, dst, key, parse_json(attrs))
            ends += (src, dst)
        self.add_ids(ends)

    def add_first_edges(self, labels: Sequence[Label], rel: Rel) -> list[int]:
        """The first ``rel`` edge leaving each node with one of ``labels``, with both ends; the
        nodes it leaves."""
        firsts = [
            row[0]
            for row in self.conn.execute(
                "SELECT min(e.id) FROM edges e JOIN nodes n ON n.id = e.src "
                f"WHERE n.label IN ({marks(len(labels))}) AND e.type = ? GROUP BY e.src",
                (*(label.value for label in labels), rel.value),
            )
        ]
        self._add_edge_ids(firsts)
        return sorted({self.edges[e][0] for e in firsts})

    def add_edge_per_pair(
        self, nodes: Collection[int], rel: Rel, out: bool = True, by: str = ""
    ) -> None:
        """The first ``rel`` edge leaving (``out``) or entering each of ``nodes`` for each node
        at its other end — and each value of the SQL expression ``by`` — with both ends: one
        edge where several documents state the same post."""
        end, group = ("src" if out else "dst"), ", ".join(filter(None, ("src, dst", by)))
        firsts: list[int] = []
        for chunk in chunks(sorted(set(nodes))):
            firsts += (
                row[0]
                for row in self.conn.execute(
                    f"SELECT min(id) FROM edges WHERE {end} IN ({marks(len(chunk))}) "
                    f"AND type = ? GROUP BY {group}",
                    (*chunk, rel.value),
                )
            )
        self._add_edge_ids(sorted(firsts))

    def _add_edge_ids(self, ids: Sequence[int]) -> None:
        ends: list[int] = []
        for chunk in chunks(ids):
            for edge, src, dst, key, attrs in self.conn.execute(
                f"SELECT id, src, dst, key, attrs FROM edges WHERE id IN ({marks(len(chunk))})",
                chunk,
            ):
                self.edges[edge] = (src, dst, key, parse_json(attrs))
                ends += (src, dst)
        self.add_ids(ends)

    def add_units(self, units: Collection[int], heads: bool = True) -> None:
        """What a unit's heads and its tasks' rows need: the units, their RESPONSIBLE_FOR
        edges, those tasks, the other units on them, the tasks' documents, and for every unit
        the people holding posts there and the groups it sits in (without ``heads``: not
        those)."""
        tasks = self.add_edges(units, Rel.RESPONSIBLE_FOR, True)
        self.add_task_rows(tasks, heads)

    def add_task_rows(self, tasks: Collection[int], heads: bool = True) -> None:
        on_tasks = self.add_edges(tasks, Rel.RESPONSIBLE_FOR, False)
        docs = {str(self.nodes[t][1].get("doc") or "") for t in tasks}
        self.add_keys(docs, BRIEF_DOCUMENT)
        if heads:
            self.add_heads(on_tasks)

    def add_heads(self, units: Collection[int]) -> None:
        """Who may head ``units``: one HOLDS edge per person, unit and title (a head is a
        person with a title, however many documents state it: at province scale 5.5k of the
        20.6k HOLDS edges), and the units' own MEMBER_OF edges (collective heads)."""
        self.add_edge_per_pair(units, Rel.HOLDS, out=False, by="json_extract(attrs, '$.title')")
        self.add_edges(units, Rel.MEMBER_OF, True)

    def add_keys(self, keys: Collection[str], attrs: str = "attrs") -> list[int]:
        found = []
        wanted = sorted(k for k in keys if k)
        for chunk in chunks(wanted):
            found += self.add_nodes(f"key IN ({marks(len(chunk))})", chunk, attrs)
        return found

    def graph(self) -> nx.MultiDiGraph:
        G = new_graph()
        G.add_nodes_from(self.nodes[n] for n in sorted(self.nodes))
        add_edges(
            G,
            (
                (self.nodes[src][0], self.nodes[dst][0], key, attrs)
                for src, dst, key, attrs in (self.edges[e] for e in sorted(self.edges))
            ),
        )
        G.graph[GRAPH_KEY] = {}
        return G


def _named_units(part: Part, names: list[str]) -> set[int]:
    """Units named (by name, id, or a surface on one of their RESPONSIBLE_FOR edges)."""
    conn, units = part.conn, set[int]()
    indexed = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'edges_surface'"
    ).fetchone()
    for name in names:
        units.update(part.add_nodes("key = ? AND label = ?", (name, Label.UNIT.value)))
        units.update(part.add_nodes("label = ? AND name = ?", (Label.UNIT.value, name)))
        if indexed:
            units.update(src for (src,) in conn.execute(SURFACE_LOOKUP, (name,)))
            continue
        # A store not written since the index came: the text match narrows, the parse decides.
        for src, attrs in conn.execute(
            "SELECT src, attrs FROM edges WHERE type = ? AND instr(attrs, ?) > 0",
            (Rel.RESPONSIBLE_FOR.value, name),
        ):
            if parse_json(attrs).get("surface", "") == name:
                units.add(src)
    part.add_ids(units)
    return units


def units_part(part: Part, names: list[str]) -> bool:
    """The units named, their tasks with every unit on them, the tasks' documents, and the
    heads of all those units (the people holding posts in them, the groups they sit in)."""
    return bool(_headed_units(part, names))


def _headed_units(part: Part, names: list[str]) -> set[int]:
    """:func:`units_part`'s reading; the units named."""
    units = _named_units(part, names)
    part.add_units(units)
    part.add_heads(units)
    return units


def unit_roles_part(part: Part, names: list[str]) -> bool:
    """As :func:`units_part` without the heads: enough for the units' tasks with every unit's
    role on them (the ``tasks --unit`` table), not for who heads a unit. In a province a name
    every county uses is on thousands of tasks, and the posts are half of what they touch."""
    units = _named_units(part, names)
    part.add_units(units, heads=False)
    return bool(units)


def load_part(part: Part, names: list[str]) -> bool:
    """As :func:`units_part`, and the groups where the named units' people sit (``load``: a
    unit's tasks across documents, its heads and its seats in leading groups)."""
    units = _headed_units(part, names)
    holders = {
        src
        for src, dst, _, attrs in part.edges.values()
        if dst in units and attrs.get("type") == Rel.HOLDS.value
    }
    part.add_edges(holders, Rel.MEMBER_OF, True)
    return bool(units)


def coverage_part(part: Part, _: list[str]) -> bool:
    """Every Unit; one MEMBER_OF edge of each person or unit in a group, with the group; one
    HOLDS edge of each of those people to each unit they hold a post in; one RESPONSIBLE_FOR
    edge of each unit on a task, with the task. Coverage asks only whether such edges exist,
    and where the members hold posts (not how many documents say so: at province scale 5.5k
    of the 20.6k HOLDS edges)."""
    part.add_nodes("label = ?", (Label.UNIT.value,))
    members = part.add_first_edges((Label.PERSON, Label.UNIT), Rel.MEMBER_OF)
    people = [m for m in members if part.nodes[m][1].get("label") == Label.PERSON.value]
    part.add_edge_per_pair(people, Rel.HOLDS)
    part.add_first_edges((Label.UNIT,), Rel.RESPONSIBLE_FOR)
    return True


def who_part(part: Part, refs: list[str]) -> bool:
    """The tasks ``ref`` may name (by id, local id, full number, or in its title) with what
    the first one's row needs, every Group, and the units and people of their office posts."""
    if len(refs) != 1:
        return False
    ref = refs[0]
    tasks = part.add_nodes(
        "label = ? AND (key = ? OR json_extract(attrs, '$.local_id') = ? "
        "OR json_extract(attrs, '$.full_number') = ? "
        "OR instr(json_extract(attrs, '$.title'), ?) > 0)",
        (Label.TASK.value, ref, ref, ref, ref),
    )
    part.add_task_rows(tasks)
    groups = part.add_nodes("label = ?", (Label.GROUP.value,))
    posts = set()
    for g in groups:
        d = part.nodes[g][1]
        for unit in (d.get("director_unit"), d.get("deputy_unit")):
            if unit:
                posts.add(f"unit:{d.get('region')}:{unit}")
    part.add_edges(part.add_keys(posts), Rel.HOLDS, False)
    return True


def responsibility_part(part: Part, _: list[str]) -> bool:
    """Every Unit, Task (without its text) and Document (without its version history), the
    RESPONSIBLE_FOR edges, the heads of every unit and the progress reports on the tasks:
    what ``units``, ``tasks``, ``matrix`` and ``overdue`` read of the whole graph. Not the
    firms of the registers, the chains, the sections and mechanisms, nor the groups' people:
    at province scale two thirds of the rows."""
    units = part.add_nodes("label = ?", (Label.UNIT.value,))
    part.add_nodes("label = ?", (Label.TASK.value,), BRIEF_TASK)
    part.add_nodes("label = ?", (Label.DOCUMENT.value,), BRIEF_DOCUMENT)
    part.add_every_edge(Rel.RESPONSIBLE_FOR)
    part.add_heads(units)
    part.add_every_edge(Rel.HAS_PROGRESS)  # the reports on the tasks (督办), for overdue
    return True


# The node values ``search`` looks through (``queries.search.SEARCHABLE``; a test holds them
# equal): ``name`` is a column, the others are read from the JSON.
SEARCHED = ("name", "json_extract(attrs, '$.title')", "json_extract(attrs, '$.doc_number')")


def search_part(part: Part, texts: list[str]) -> bool:
    """The nodes whose name, title or number holds one of ``texts`` (Documents without their
    version history), and no edge: all that ``search`` reads of them."""
    wanted = list(dict.fromkeys(t for t in texts if t))
    for chunk in chunks(wanted):  # one pass over the nodes for many texts
        where = " OR ".join(f"instr({value}, ?) > 0" for _ in chunk for value in SEARCHED)
        params = [text for text in chunk for _ in SEARCHED]
        part.add_nodes(where, params, BRIEF_DOCUMENT)
    return True


PARTS = {
    "units": units_part,
    "load": load_part,
    "unit_roles": unit_roles_part,
    "coverage": coverage_part,
    "who": who_part,
    "search": search_part,
    "responsibility": responsibility_part,
}


def add_tasks(conn: sqlite3.Connection, G: nx.MultiDiGraph, doc: str) -> None:
    """A document's Task nodes with their RESPONSIBLE_FOR edges and the units on them."""
    tasks = conn.execute(
        "SELECT id, key, attrs FROM nodes WHERE doc = ? AND label = ? ORDER BY id",
        (doc, Label.TASK.value),
    ).fetchall()
    for task, key, attrs in tasks:
        G.add_node(key, **parse_json(attrs))
        for unit, unit_attrs, edge_key, edge_attrs in conn.execute(
            "SELECT n.key, n.attrs, e.key, e.attrs FROM edges e JOIN nodes n ON n.id = e.src "
            "WHERE e.dst = ? AND e.type = ? ORDER BY e.id",
            (task, Rel.RESPONSIBLE_FOR.value),
        ):
            if unit not in G:
                G.add_node(unit, **parse_json(unit_attrs))
            G.add_edge(unit, key, key=edge_key, **parse_json(edge_attrs))
