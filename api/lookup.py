"""Finding what planners type, over any store: search by short forms, and task filters.

Light on purpose (no web framework): the CLI's ``search`` and ``tasks`` use it as the API does.
"""

from __future__ import annotations

from api.names import check_region, with_aliases
from graph.errors import UnknownNode, UnknownUnit
from graph.schema import Label
from queries.answers import Hit, Matrix, TaskRow
from queries.search import ranked
from queries.service import Questions

DOCUMENT_KEYS = ("key", "doc_number", "title", "source", "name")


def alias_targets(text: str, limit: int = 40) -> dict[str, str]:
    """Canonical unit name → the roster name (alias or canonical) that contains ``text``.

    Finds what planners type: 工信 → 县工业和信息化局 (through 县工信局), 发改, 住建, 市场监管.
    """
    from ingest.resolve import Roster  # the roster is read only when a search needs it

    text = text.strip()
    if not text:
        return {}
    roster = Roster.bundled()
    out: dict[str, str] = {}
    exact = roster.canonical(text, None)
    if exact != text:
        out[exact] = text
    pairs = sorted(roster.aliases.items(), key=lambda kv: (len(kv[0]), kv[0]))
    for alias, canonical in pairs:
        if len(out) >= limit:
            break
        if text in alias and canonical not in out:
            out[canonical] = alias
    return out


def search(q: Questions, text: str, limit: int = 50) -> list[Hit]:
    """Nodes by substring of name, title or number, and units by their roster names:
    ranked exact > alias > prefix > substring (``queries.search.match_rank``), any store.

    A unit found through the roster has ``matched`` set to its canonical name.
    """
    text = text.strip()
    found: list[tuple[Hit, str | None]] = [(h, None) for h in q.search(text, max(limit, 200))]
    for canonical, alias in alias_targets(text).items():
        for h in q.search(canonical, max(limit, 200)):
            if h.label == Label.UNIT.value and h.name == canonical:
                found.append((h.model_copy(update={"matched": canonical}), alias))
    return ranked(found, text, limit)


def tasks_in(
    q: Questions, unit: str | None = None, region: str | None = None, document: str | None = None
) -> list[TaskRow]:
    """Tasks, filtered by unit (id, name or alias), region and document, any store.

    A task is of a region when its units are; a document is named by id, number or title.

    Raises:
        UnknownRegion: ``region`` is no unit's region (404).
        UnknownUnit: no unit of that name (in that region).
        UnknownNode: no such document.
    """
    units = q.units() if region is not None else []  # every unit's summary: only to filter
    check_region((u.region for u in units), region)
    if unit is not None:
        ids = with_aliases(lambda name: q.unit_ids(name, region), unit)
        if region is not None:
            region_of = {u.id: u.region for u in units}
            ids = [u for u in ids if region_of.get(u) == region]
            if not ids:
                raise UnknownUnit(f"No unit named {unit!r} in {region}")
        rows = [row for u in ids for row in q.tasks(u)]
    else:
        rows = q.tasks()
        if region is not None:
            of_region = {u.id for u in units if u.region == region}
            rows = [t for t in rows if any(u.id in of_region for u in t.units)]
    if document is not None:
        names = document_names(q, document)
        rows = [t for t in rows if t.document in names]
    return rows


def document_names(q: Questions, ref: str) -> set[str]:
    """The names a task row gives the documents ``ref`` names (their ids, titles and names),
    any store.

    Raises:
        UnknownNode: no such document.
    """
    return {name for named in _documents(q, ref) for name in named}


def document_ids(q: Questions, ref: str) -> list[str]:
    """The stored documents ``ref`` names by id, key, number, title or file name (several when
    plans of different counties share a title), any store.

    Raises:
        UnknownNode: no such document.
    """
    return [named[0] for named in _documents(q, ref)]


def _documents(q: Questions, ref: str) -> list[tuple[str, ...]]:
    """Id, then title and name (those set), of each document ``ref`` names.

    Raises:
        UnknownNode: no such document.
    """
    if db := q.cypher:
        from queries.cypher_matrix import find_documents  # the Cypher path, only for a server

        found = [
            (r["id"], *(str(r[k]) for k in ("title", "name") if r[k]))
            for r in find_documents(db, ref)
        ]
    else:
        nodes = q.graph.nodes
        found = [
            (n, *(str(nodes[n][k]) for k in ("title", "name") if nodes[n].get(k)))
            for n in q.snapshot.index.nodes_of(Label.DOCUMENT)
            if n == ref or any(nodes[n].get(k) == ref for k in DOCUMENT_KEYS if nodes[n].get(k))
        ]
    if not found:
        raise UnknownNode(f"No document {ref!r}")
    return found


def matrix_in(q: Questions, region: str | None = None, document: str | None = None) -> Matrix:
    """The matrix, or the part of it for one region's or one document's tasks.

    Raises:
        UnknownRegion: no document of ``region`` (404).
        UnknownNode: no such document (404).
    """
    if region is not None:
        check_region(q.document_regions(), region)
    ids = document_ids(q, document) if document is not None else None
    return q.matrix(region, ids)
