"""Many plans in one graph: citations between documents, placeholders, and version history.

:func:`graph.build.record_fragment` states what one document says. Merging it into a store
that already holds other documents needs to know what the store holds, so :func:`load_document`
reads the stored Document nodes first (:func:`stored_documents`) and adds to the fragment:

- **CITES** edges. A document citing 《…》（晋政办发〔2022〕80号） gets an edge to the stored
  document with that number (one of the citer's region first, when two regions share a
  number), else to a *placeholder* Document node ``doc:cited:<number>`` (``placeholder=True``).
  A placeholder is shared by every citer and owned by none. When the cited document arrives,
  its fragment drops the placeholder and re-points every citer's edge to the real node; when a
  document is removed, placeholders nobody else cites go with it, and documents citing it fall
  back to a placeholder. Edges keep ``doc`` = the *citing* document, so re-ingesting the citer
  replaces them.
- **Versions.** Identity is :func:`graph.build.document_key` (number and region, else the
  content hash). The same content again (same ``sha256``) changes nothing; a changed version
  replaces its predecessor's facts and appends to ``versions`` on the Document node: a list of
  ``{version, sha256, source, tasks: [{id, number, title, deadline, units: [[name, role]]}]}``
  (:class:`graph.versions.Version`), deterministic (no clock), enough to say which version stated what
  (``zhenkg diff DOC@1 DOC@2``). ``version`` on the node is the current number. A document
  without a number is identified by its hash, so an edited copy is a second document, not a
  new version.

On the embedded stores (SQLite, JSON file) the index is read inside the write transaction
(:meth:`~graph.store.EmbeddedStore.transaction`): two processes ingesting versions of one
document, or a document and one citing it, serialise, and the second sees what the first
stored. On a Cypher server the index is read before writing: two processes ingesting versions
of the same document at the same instant may both number theirs ``n+1``.

>>> idx = {"doc:a": StoredDocument(id="doc:a", doc_number="晋政办发〔2022〕80号", region="山西省")}
>>> cited_target(idx, "晋政办发〔2022〕80号", "泽州县"), cited_target(idx, "晋政发〔2021〕1号", "泽州县")
('doc:a', 'doc:cited:晋政发〔2021〕1号')
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from graph.build import UNKNOWN_REGION, document_key, record_fragment
from graph.errors import UnknownNode, ZhenkgError
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.record import Record
from graph.schema import Label, Rel, document_id
from graph.sqlite_store import SqliteStore
from graph.store import CypherStore, EmbeddedStore, GraphStore
from graph.versions import (
    Version,
    graph_tasks,
    version_json,
    versions_of,
)

if TYPE_CHECKING:
    import networkx as nx

    from graph.versions import VersionTask


PLACEHOLDER_PREFIX = "doc:cited:"

READ_DOCUMENTS = (
    "MATCH (d:Document) RETURN d.id AS id, d.doc_number AS doc_number, d.region AS region, "
    "d.placeholder AS placeholder, d.sha256 AS sha256, d.source AS source, d.title AS title, "
    "d.key AS key, d.cites AS cites, d.versions AS versions"
)


class PlaceholderDocument(ZhenkgError):
    """The document asked for is only a placeholder for a cited, not ingested, document."""


@dataclass(frozen=True)
class StoredDocument:
    """The Document node attributes the merge needs."""

    id: str
    doc_number: str | None = None
    region: str | None = None
    placeholder: bool = False
    sha256: str | None = None
    source: str | None = None
    title: str | None = None
    key: str | None = None
    cites: tuple[str, ...] = ()
    versions: tuple[Version, ...] = ()


@dataclass
class Merged:
    """A fragment ready to load and what loading it will do."""

    fragment: Fragment
    document: str
    status: Literal["new", "unchanged", "updated"]
    version: int
    placeholders: list[str] = field(default_factory=list)  # cited numbers not in the store
    resolved: str | None = None  # the placeholder this document replaces
    dropped: list[str] = field(default_factory=list)  # placeholder ids nobody cites any more


def placeholder_id(number: str) -> str:
    """Id of the stand-in node for a cited document not (yet) in the store."""
    return f"{PLACEHOLDER_PREFIX}{number}"


# -- reading the store -----------------------------------------------------------------------
def _stored(attrs: Mapping[str, Any], node_id: str, history: bool = True) -> StoredDocument:
    cites = attrs.get("cites") or []
    if isinstance(cites, str):
        cites = json.loads(cites)
    return StoredDocument(
        id=node_id,
        doc_number=attrs.get("doc_number"),
        region=attrs.get("region"),
        placeholder=bool(attrs.get("placeholder")),
        sha256=attrs.get("sha256"),
        source=attrs.get("source"),
        title=attrs.get("title"),
        key=attrs.get("key"),
        cites=tuple(cites),
        versions=versions_of(attrs.get("versions")) if history else (),
    )


def documents_in(
    G: nx.MultiDiGraph, versions_of: Collection[str] | None = None
) -> dict[str, StoredDocument]:
    """The Document nodes of a networkx graph; a document stored without history (loaded by
    ``record_fragment`` alone) gets version 1 read from its tasks.

    Args:
        G: the graph.
        versions_of: the documents whose version history to read (all when ``None``); the
            others come without it, which spares reading every history on each merge.
    """
    return _documents(G.nodes(data=True), versions_of, lambda doc: graph_tasks(G, doc))


def _documents(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    versions_of: Collection[str] | None,
    tasks_of: Callable[[str], list[VersionTask]],
) -> dict[str, StoredDocument]:
    out = {}
    for n, d in nodes:
        if d.get("label") != Label.DOCUMENT.value:
            continue
        history = versions_of is None or n in versions_of
        doc = _stored(d, n, history)
        if history and not doc.placeholder and not doc.versions:
            v1 = Version(version=1, sha256=doc.sha256, source=doc.source, tasks=tasks_of(n))
            doc = replace(doc, versions=(v1,))
        out[n] = doc
    return out


def stored_documents(
    store: GraphStore,
    versions_of: Collection[str] | None = None,
    numbers: Collection[str] | None = None,
) -> dict[str, StoredDocument]:
    """The Document nodes of any store, by id (with the version history of ``versions_of``,
    or of every document when ``None``).

    ``numbers`` lets a store read less: the documents of ``versions_of`` and those having or
    citing one of the numbers are enough for :func:`merge_document` (see
    :func:`merge_numbers`); a store may still return more.

    Raises:
        TypeError: the store is neither an embedded store nor a Cypher store.
    """
    if isinstance(store, SqliteStore):
        nodes = store.document_nodes(versions_of, numbers).items()
        return _documents(nodes, versions_of, lambda doc: graph_tasks(store.task_graph(doc), doc))
    if isinstance(store, NetworkxStore):
        store.refresh()
        return documents_in(store.graph, versions_of)
    if isinstance(store, CypherStore):
        return {str(r["id"]): _stored(r, str(r["id"])) for r in store.read(READ_DOCUMENTS)}
    raise TypeError(f"cannot read documents from a {store.name} store")


@contextmanager
def writing(store: GraphStore) -> Iterator[None]:
    """The store's write transaction when it has one (embedded stores), else nothing."""
    if isinstance(store, EmbeddedStore):
        with store.transaction():
            yield
    else:
        yield


def find_document(index: Mapping[str, StoredDocument], ref: str) -> StoredDocument:
    """A stored document by id, key, number, source file name or title.

    Raises:
        UnknownNode: nothing matches, or several documents do.
    """
    if ref in index:
        return index[ref]
    for attr in ("key", "doc_number", "source", "title"):
        found = [d for d in index.values() if getattr(d, attr) == ref]
        real = [d for d in found if not d.placeholder] or found
        if len(real) == 1:
            return real[0]
        if len(real) > 1:
            raise UnknownNode(
                f"{ref!r} names {len(real)} documents: {', '.join(d.id for d in real)}"
            )
    raise UnknownNode(f"No document {ref!r} (give an id, number, file name or title)")


# -- citations -------------------------------------------------------------------------------
def cited_target(index: Mapping[str, StoredDocument], number: str, region: str | None) -> str:
    """The node a citation of ``number`` from a document of ``region`` points to."""
    real = sorted(
        (d for d in index.values() if not d.placeholder and d.doc_number == number),
        key=lambda d: (d.region != region, d.id),
    )
    return real[0].id if real else placeholder_id(number)


def _add_citation(f: Fragment, citer: str, target: str, number: str) -> None:
    if target.startswith(PLACEHOLDER_PREFIX):
        f.node(target, Label.DOCUMENT, name=number, doc_number=number, key=number, placeholder=True)
    f.edge(citer, target, Rel.CITES, number, doc=citer, number=number)


def _cited_by_others(index: Mapping[str, StoredDocument], number: str, excluding: str) -> bool:
    return any(
        d.id != excluding
        and not d.placeholder
        and number in d.cites
        and cited_target(index, number, d.region) == placeholder_id(number)
        for d in index.values()
    )


def _citers(index: Mapping[str, StoredDocument], number: str) -> Iterable[StoredDocument]:
    return (d for d in index.values() if not d.placeholder and number in d.cites)


# -- merging ---------------------------------------------------------------------------------
def merge_document(
    fragment: Fragment, record: Record, index: Mapping[str, StoredDocument]
) -> Merged:
    """Add citations, placeholders and version history to a document's fragment.

    Args:
        fragment: what the record states (``record_fragment`` or a superset of it).
        record: the extraction record the fragment was built from.
        index: the store's documents (:func:`stored_documents`).

    Returns:
        The fragment (changed in place) and what loading it does.
    """
    doc = record.document
    region = doc.region or UNKNOWN_REGION
    did = document_id(document_key(record))
    old = index.get(did)
    me = StoredDocument(
        id=did, doc_number=doc.doc_number, region=region, sha256=doc.sha256, cites=tuple(doc.cites)
    )
    view = {**index, did: me}
    placeholders: list[str] = []
    resolved, dropped = None, []
    for number in dict.fromkeys(doc.cites):
        target = cited_target(view, number, region)
        if target.startswith(PLACEHOLDER_PREFIX):
            placeholders.append(number)
        _add_citation(fragment, did, target, number)
    if doc.doc_number:
        # Loading drops this document's node and with it every edge into it: restate them.
        for citer in _citers(view, doc.doc_number):
            if citer.id != did and cited_target(view, doc.doc_number, citer.region) == did:
                _add_citation(fragment, citer.id, did, doc.doc_number)
        if placeholder_id(doc.doc_number) in index:
            resolved = placeholder_id(doc.doc_number)
    if old is not None:
        for number in sorted(set(old.cites) - set(doc.cites)):
            pid = placeholder_id(number)
            if pid in index and not _cited_by_others(view, number, did):
                dropped.append(pid)
    fragment.docs.extend(p for p in [resolved, *dropped] if p and p not in fragment.docs)

    history = list(old.versions) if old is not None and not old.placeholder else []
    versions = [v.model_dump(mode="json") for v in history]
    if history and old is not None and old.sha256 == doc.sha256:
        status: Literal["new", "unchanged", "updated"] = "unchanged"
    else:
        status = "updated" if history else "new"
        versions.append(version_json(record, (history[-1].version + 1) if history else 1))
    version: int = versions[-1]["version"]
    fragment.node(did, Label.DOCUMENT, version=version, versions=versions)
    return Merged(fragment, did, status, version, placeholders, resolved, dropped)


def merge_numbers(record: Record) -> set[str]:
    """The document numbers whose holders and citers :func:`merge_document` looks at.

    The merge reads the stored document itself, the documents having or citing its number
    (whose citations it re-points) and the documents having or citing a number it cites
    (targets, placeholders, other citers); the numbers the stored version cited are added once
    it is read (placeholders only that version cited are dropped).
    """
    doc = record.document
    return {*doc.cites, *([doc.doc_number] if doc.doc_number else [])}


def removal_fragment(index: Mapping[str, StoredDocument], did: str) -> Fragment:
    """A fragment that removes a document, the placeholders only it cited, and points the
    documents citing it back to a placeholder (or another region's document of that number).

    Raises:
        UnknownNode: no such document.
        PlaceholderDocument: ``did`` is a placeholder (remove the documents citing it).
    """
    gone = index.get(did)
    if gone is None:
        raise UnknownNode(f"No document {did!r}")
    if gone.placeholder:
        raise PlaceholderDocument(
            f"{did!r} is a placeholder for a cited document; remove the documents citing it"
        )
    view = {k: v for k, v in index.items() if k != did}
    f = Fragment(docs=[did])
    for number in dict.fromkeys(gone.cites):
        pid = placeholder_id(number)
        if pid in index and not _cited_by_others(view, number, did):
            f.docs.append(pid)
    if gone.doc_number:
        for citer in _citers(view, gone.doc_number):
            _add_citation(
                f, citer.id, cited_target(view, gone.doc_number, citer.region), gone.doc_number
            )
    return f


def load_document(store: GraphStore, record: Record, fragment: Fragment | None = None) -> Merged:
    """Merge one document into a store: its facts, citations and version history.

    Args:
        store: the store to write.
        record: the extraction record.
        fragment: the facts to load (defaults to ``record_fragment(record)``; ingest adds its
            chain links).
    """
    did = document_id(document_key(record))
    with writing(store):  # the reads the merge needs and its writes in one transaction
        numbers = merge_numbers(record)
        index = stored_documents(store, [did], numbers)
        old = index.get(did)
        if old is not None and not set(old.cites) <= numbers:  # it cited others before
            index = stored_documents(store, [did], numbers | set(old.cites))
        merged = merge_document(fragment or record_fragment(record), record, index)
        store.load(merged.fragment)
    return merged


def remove_document(store: GraphStore, ref: str) -> str:
    """Remove a document (by id, key, number, file name or title); returns its id."""
    with writing(store):
        index = stored_documents(store, versions_of=())
        did = find_document(index, ref).id
        store.load(removal_fragment(index, did))
    return did
