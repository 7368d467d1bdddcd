"""What the Cypher stores (Neo4j, FalkorDB) share: batched loading, document replacement, counts.

A fragment is written with one ``UNWIND $rows`` statement per label (nodes, ``MERGE`` on the
stable ``id``, then ``SET n += row.props``) and per relationship type and end labels
(``MERGE`` on source, target, type and ``key``), in batches of ``batch_size`` rows, so loading
the same fragment twice changes nothing. Labels and types are spliced into the statements only
after :class:`~graph.schema.Label` / :class:`~graph.schema.Rel` accepted them; every value
travels as a parameter.

Replacing documents mirrors ``graph.networkx_graph.drop_documents`` step by step: edges stating
the documents go, then the nodes the documents own (``doc`` or ``id`` among them), then the
Unit, Person, Group and Town nodes those edges touched that are left with no relationship.
Replacing data files (``fragment.sources``) drops the edges carrying those ``origin`` values,
as ``_drop_sources`` does. The documents' claims on shared nodes (``graph.claims``) live in
the node's ``_claims`` property (JSON text), which :meth:`CypherStoreBase.read` leaves out of
every row; a node's claimed attributes are rewritten from them (``null`` removes one).

A backend supplies the dialect: how to run a statement (:meth:`CypherStoreBase._write`,
:meth:`CypherStoreBase.read`) and which schema statements (uniqueness, indexes) to create.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from graph import claims as cl
from graph.cypher_guard import check_read_only
from graph.fragment import Attrs, Fragment
from graph.networkx_graph import SHARED_LABELS
from graph.schema import Label, Rel

Row = dict[str, Any]

DEFAULT_BATCH_SIZE = 1000

MERGE_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
MERGE_EDGES = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}}) "
    "MATCH (b:{target} {{id: row.target}}) "
    "MERGE (a)-[r:{type} {{key: row.key}}]->(b) "
    "SET r += row.props"
)
FIND_IDS = "MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id"
DROP_EDGES = (
    "MATCH (a)-[r:{type}]->(b) WHERE r.doc IN $docs "
    "WITH r, a.id AS source, b.id AS target DELETE r RETURN source, target"
)
DROP_SOURCED = "MATCH ()-[r:{type}]->() WHERE r.origin IN $sources DELETE r"
DROP_OWNED = "MATCH (n:{label}) WHERE n.doc IN $docs OR n.id IN $docs DETACH DELETE n"
DROP_ORPHANS = (
    "MATCH (n:{label}) WHERE n.id IN $ids "
    "OPTIONAL MATCH (n)-[r]-() WITH n, count(r) AS degree WHERE degree = 0 DELETE n"
)
READ_CLAIMS = (
    "MATCH (n:{label}) WHERE n.id IN $ids AND n.`_claims` IS NOT NULL "
    "RETURN n.id AS id, n.`_claims` AS claims"
)
SET_PROPS = "UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n += row.props"
# One property at a time: FalkorDB loses the entries after a null in ``SET n += $map``.
UNSET_PROP = "UNWIND $ids AS id MATCH (n:{label} {{id: id}}) SET n.`{key}` = NULL"
_PROPERTY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
COUNT_NODES = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n"
COUNT_EDGES = "MATCH ()-[r]->() RETURN count(r) AS n"


def _primitive(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def property_value(value: Any) -> Any:
    """A value as a Cypher property: primitives and lists of one primitive type as they are,
    anything else (nested, mixed or holding ``None``) JSON-encoded.

    >>> property_value([3, 5]), property_value({"a": 1}), property_value([1, "x"])
    ([3, 5], '{"a": 1}', '[1, "x"]')
    """
    if _primitive(value):
        return value
    if (
        isinstance(value, list | tuple)
        and all(_primitive(v) for v in value)
        and len({type(v) for v in value}) <= 1
    ):
        return list(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def properties(attrs: Attrs, *drop: str) -> Row:
    """The storable properties of a node's or edge's attributes (``None`` values dropped)."""
    return {k: property_value(v) for k, v in attrs.items() if v is not None and k not in drop}


def batches(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    """``rows`` in slices of at most ``size``.

    >>> [len(b) for b in batches([{}] * 5, 2)]
    [2, 2, 1]
    """
    for start in range(0, len(rows), max(size, 1)):
        yield rows[start : start + max(size, 1)]


class CypherStoreBase(ABC):
    """Loading, replacing and counting over any Cypher server; backends add the dialect."""

    name = "cypher"

    def __init__(self, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.batch_size = batch_size
        self._schema_ready = False

    # -- dialect -----------------------------------------------------------------------
    @abstractmethod
    def _write(self, statement: str, params: Row | None = None) -> list[Row]:
        """Run a statement that may write; rows as dicts of plain values."""

    @abstractmethod
    def _run_read_only(self, statement: str, params: Row | None = None) -> list[Row]:
        """Run a statement the server itself holds to reading."""

    @abstractmethod
    def _create_schema(self) -> None:
        """Create the uniqueness constraints on ``id`` and the indexes on ``doc``."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    # -- reading -----------------------------------------------------------------------
    def read(self, statement: str, params: Row | None = None) -> list[Row]:
        """Run a read-only statement with parameters; rows as dicts.

        Raises:
            ReadOnlyViolation: the server refused the statement as a write.
            CypherError: the server refused it otherwise.
        """
        rows = self._run_read_only(statement, params or {})
        cl.strip_property(rows)
        return rows

    def read_only(self, statement: str, params: Row | None = None) -> list[Row]:
        """The analysts' passthrough: refuse write clauses, then :meth:`read`.

        Raises:
            ReadOnlyViolation: a write clause or a procedure that is not known to only read.
        """
        check_read_only(statement)
        return self.read(statement, params)

    # -- GraphStore --------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create constraints and indexes once per connection."""
        if not self._schema_ready:
            self._create_schema()
            self._schema_ready = True

    def load(self, fragment: Fragment) -> None:
        """Drop the facts of ``fragment.docs``, then merge the fragment's nodes and edges.

        Raises:
            ValueError: an edge refers to a node neither in the fragment nor in the store.
        """
        self.ensure_schema()
        self.remove_documents(fragment.docs)
        self.remove_sources(fragment.sources)
        labels = {nid: Label(attrs["label"]) for nid, attrs in fragment.nodes.items()}
        edges: dict[tuple[str, str, str], Row] = {}
        for source, target, key, attrs in fragment.edges:
            row = edges.setdefault((source, target, key), {})
            row.update(attrs)
        ends = {end for source, target, _ in edges for end in (source, target)}
        labels.update(self._labels_of(sorted(ends - labels.keys())))
        for source, target, key in edges:
            for end in (source, target):
                if end not in labels:
                    raise ValueError(f"edge {key} refers to node {end!r} missing from the fragment")

        for nid in fragment.claims:
            if nid not in fragment.nodes:
                raise ValueError(f"claim on node {nid!r} missing from the fragment")
        claimed = self._claimed_props(fragment.claims, labels)
        by_label: dict[Label, list[Row]] = defaultdict(list)
        for nid, attrs in fragment.nodes.items():
            props = {**properties(attrs, "label", "id"), **claimed.get(nid, {})}
            by_label[labels[nid]].append({"id": nid, "props": props})
        for label, rows in by_label.items():
            unset = self._split_nulls(rows)
            for batch in batches(rows, self.batch_size):
                self._write(MERGE_NODES.format(label=label.value), {"rows": list(batch)})
            self._unset(label, unset)

        by_type: dict[tuple[Rel, Label, Label], list[Row]] = defaultdict(list)
        for (source, target, key), attrs in edges.items():
            rel = Rel(attrs["type"])
            by_type[(rel, labels[source], labels[target])].append(
                {
                    "source": source,
                    "target": target,
                    "key": key,
                    "props": properties(attrs, "type", "key"),
                }
            )
        for (rel, s, t), rows in by_type.items():
            statement = MERGE_EDGES.format(source=s.value, target=t.value, type=rel.value)
            for batch in batches(rows, self.batch_size):
                self._write(statement, {"rows": list(batch)})

    def _stored_claims(self, ids_by_label: dict[Label, list[str]]) -> dict[str, cl.Claims]:
        out: dict[str, cl.Claims] = {}
        for label, ids in ids_by_label.items():
            for batch in batches([{"id": i} for i in ids], self.batch_size):
                rows = self._write(
                    READ_CLAIMS.format(label=label.value), {"ids": [r["id"] for r in batch]}
                )
                out.update((str(r["id"]), cl.decode(r["claims"])) for r in rows)
        return out

    @staticmethod
    def _restated(before: cl.Claims, after: cl.Claims) -> Row:
        """The properties that make a node show ``after`` (``None`` removes a property)."""
        props: Row = dict.fromkeys(cl.claimed_keys(before, after))
        props.update(properties(cl.visible(after)))
        props[cl.PROPERTY] = cl.encode(after) if after else None
        return props

    def _claimed_props(
        self, claims: dict[str, cl.Claims], labels: dict[str, Label]
    ) -> dict[str, Row]:
        """The properties of the claimed nodes once the fragment's claims join the stored ones."""
        by_label: dict[Label, list[str]] = defaultdict(list)
        for nid in claims:
            by_label[labels[nid]].append(nid)
        stored = self._stored_claims(by_label)
        out = {}
        for nid, new in claims.items():
            before = stored.get(nid, {})
            out[nid] = self._restated(before, {**before, **new})
        return out

    def _drop_claims(self, ids: list[str], gone: set[str]) -> None:
        """Forget the claims of ``gone`` on the nodes ``ids``; they show what the others claim."""
        by_label = {Label(shared): ids for shared in sorted(SHARED_LABELS)}
        rows_by_label: dict[Label, list[Row]] = defaultdict(list)
        for label, label_ids in by_label.items():
            stored = self._stored_claims({label: label_ids})
            for nid, before in stored.items():
                if gone & before.keys():
                    props = self._restated(before, cl.without(before, gone))
                    rows_by_label[label].append({"id": nid, "props": props})
        for label, rows in rows_by_label.items():
            unset = self._split_nulls(rows)
            for batch in batches(rows, self.batch_size):
                self._write(SET_PROPS.format(label=label.value), {"rows": list(batch)})
            self._unset(label, unset)

    @staticmethod
    def _split_nulls(rows: list[Row]) -> dict[str, list[str]]:
        """Take the ``None`` properties out of ``rows``: the node ids to unset, by property."""
        unset: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            for key in [k for k, v in row["props"].items() if v is None]:
                del row["props"][key]
                unset[key].append(row["id"])
        return unset

    def _unset(self, label: Label, unset: dict[str, list[str]]) -> None:
        """Remove properties (names from the code's claims, checked before splicing)."""
        for key, ids in sorted(unset.items()):
            if not _PROPERTY_NAME.match(key):
                raise ValueError(f"not a property name: {key!r}")
            for batch in batches([{"id": i} for i in ids], self.batch_size):
                self._write(
                    UNSET_PROP.format(label=label.value, key=key),
                    {"ids": [r["id"] for r in batch]},
                )

    def _labels_of(self, ids: list[str]) -> dict[str, Label]:
        """Labels of stored nodes, for edge ends a fragment refers to but does not carry."""
        found: dict[str, Label] = {}
        if not ids:
            return found
        for label in Label:
            for row in self._write(FIND_IDS.format(label=label.value), {"ids": ids}):
                found.setdefault(row["id"], label)
        return found

    def remove_documents(self, doc_ids: list[str]) -> None:
        """Drop every fact the documents stated, and shared nodes left with no relationship."""
        if not doc_ids:
            return
        self.ensure_schema()
        docs = list(dict.fromkeys(doc_ids))
        touched: set[str] = set()
        for rel in Rel:
            for row in self._write(DROP_EDGES.format(type=rel.value), {"docs": docs}):
                touched.update((row["source"], row["target"]))
        for label in Label:
            self._write(DROP_OWNED.format(label=label.value), {"docs": docs})
        if touched:
            ids = sorted(touched)
            for shared in sorted(SHARED_LABELS):
                self._write(DROP_ORPHANS.format(label=Label(shared).value), {"ids": ids})
            self._drop_claims(ids, set(docs))

    def remove_sources(self, sources: list[str]) -> None:
        """Drop the edges data files (chain templates, registers) stated; nodes stay."""
        if not sources:
            return
        self.ensure_schema()
        for rel in Rel:
            self._write(DROP_SOURCED.format(type=rel.value), {"sources": list(sources)})

    def counts(self) -> dict[str, int]:
        """Nodes per label, and ``edges`` (the same fingerprint as the networkx store)."""
        rows = self.read(COUNT_NODES)
        counts = dict(sorted((str(r["label"]), int(r["n"])) for r in rows if r["n"]))
        edges = self.read(COUNT_EDGES)
        counts["edges"] = int(edges[0]["n"]) if edges else 0
        return counts
