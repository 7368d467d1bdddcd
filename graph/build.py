"""Turn an extraction record into a graph fragment (see ``graph.schema`` for the model).

Document-owned nodes (the document, its sections, tasks and mechanisms) carry ``doc``; shared
nodes (units, people, groups, towns) are merged across documents by their region-scoped ids,
and every edge a document states carries ``doc``, so re-ingesting replaces exactly its facts.
What a document says about a shared node beyond its name (a unit's kind, a group's office and
the posts directing it) is its claim (``graph.claims``): the node shows what the claims of the
documents that remain derive, whatever order they came in.
"""

from __future__ import annotations

from functools import lru_cache

from graph.fragment import Fragment
from graph.record import Record
from graph.schema import (
    Label,
    Rel,
    document_id,
    group_id,
    mechanism_id,
    person_id,
    section_id,
    task_id,
    town_id,
    unit_id,
    unit_kind,
)

UNKNOWN_REGION = "未知地区"
RESPONSIBLE = Rel.RESPONSIBLE_FOR._value_


@lru_cache(maxsize=4096)
def _kind(name: str, region: str | None) -> str:
    """:func:`unit_kind`'s value, kept per name and region (plans name the same units)."""
    return unit_kind(name, region)._value_


def document_key(record: Record) -> str:
    """Identity of a document: its region and number when stated, else its content hash.

    >>> from graph.record import DocumentFields
    >>> document_key(Record(document=DocumentFields(doc_number="泽政办发〔2023〕17号", region="泽州县")))
    '泽州县:泽政办发〔2023〕17号'
    """
    doc = record.document
    if doc.doc_number:
        return f"{doc.region or UNKNOWN_REGION}:{doc.doc_number}"
    return f"sha256:{(doc.sha256 or '')[:16]}"


def local_unit_name(name: str, region: str | None) -> str:
    """A unit named with its region's full name, written the way plans write it locally.

    >>> local_unit_name("泽州县人民政府办公室", "泽州县")
    '县人民政府办公室'
    """
    if region and name.startswith(region) and len(name) > len(region):
        return region[-1] + name[len(region) :]
    return name


def record_fragment(record: Record) -> Fragment:
    """The nodes and edges a record states, replacing that document's earlier facts."""
    doc = record.document
    region = doc.region or UNKNOWN_REGION
    key = document_key(record)
    did = document_id(key)
    f = Fragment(docs=[did])
    edges = f.edges
    f.node(
        did,
        Label.DOCUMENT,
        name=doc.title or doc.source or key,
        doc=did,
        key=key,
        doc_number=doc.doc_number,
        issuer=doc.issuer,
        title=doc.title,
        date=doc.date,
        region=region,
        source=doc.source,
        format=doc.format,
        sha256=doc.sha256,
        cites=list(doc.cites),
        towns=list(record.towns),
    )

    units: dict[str, str] = {}  # name -> id: a unit's node and claim are stated once
    claims = f.claims

    def unit(name: str) -> str:
        uid = units.get(name)
        if uid is None:
            uid = units[name] = unit_id(region, name)
            f.node(uid, Label.UNIT, name=name, region=region)
            # f.claim written out: the unit's first and only claim in this fragment
            claims[uid] = {did: {"date": doc.date, "attrs": {"kind": _kind(name, doc.region)}}}
        return uid

    if doc.issuer:
        f.edge(did, unit(local_unit_name(doc.issuer, doc.region)), Rel.ISSUED_BY, doc=did)
    for s in record.sections:
        sid = section_id(key, s.id)
        f.node(
            sid,
            Label.SECTION,
            name=s.title,
            title=s.title,
            number=s.number,
            local_id=s.id,
            doc=did,
            span=list(s.span),
        )
        parent = section_id(key, s.parent) if s.parent else did
        f.edge(parent, sid, Rel.CONTAINS, s.id, doc=did)
    for order, t in enumerate(record.tasks):
        tid = task_id(key, t.id)
        f.node(
            tid,
            Label.TASK,
            name=t.title,
            title=t.title,
            number=t.number,
            full_number=t.full_number,
            local_id=t.id,
            deadline=t.deadline,
            doc=did,
            span=list(t.span),
            text=t.text,
            order=order,
            page=t.provenance.page if t.provenance else None,
        )
        parent = section_id(key, t.parent) if t.parent else did
        f.edge(parent, tid, Rel.CONTAINS, t.id, doc=did)
        # f.edge written out for the commonest edge (~100 a plan): same key and attributes
        responsible = f"{RESPONSIBLE}|{did}|{t.id}" if t.id else f"{RESPONSIBLE}|{did}"
        for i, u in enumerate(t.units):
            # ``_value_``: an enum's ``value`` is a property, a Python call per edge
            attrs: dict[str, object] = {"doc": did, "role": u.role._value_, "order": i}
            if u.surface is not None:
                attrs["surface"] = u.surface
            if u.span:
                attrs["span"] = list(u.span)
            attrs["type"] = RESPONSIBLE
            edges.append((unit(u.name), tid, responsible, attrs))
    for i, title in enumerate(record.mechanisms):
        mid = mechanism_id(key, i + 1)
        f.node(mid, Label.MECHANISM, name=title, title=title, doc=did, order=i)
        f.edge(did, mid, Rel.CONTAINS, str(i + 1), doc=did)
    for town in record.towns:
        f.node(town_id(region, town), Label.TOWN, name=town, region=region)
        f.edge(did, town_id(region, town), Rel.NAMES_TOWN, town, doc=did)
    for g in record.groups:
        gid = group_id(region, g.name)
        f.node(gid, Label.GROUP, name=g.name, region=region)
        f.claim(
            gid,
            did,
            doc.date,
            office_unit=g.office_unit,
            director_unit=g.office_director.unit if g.office_director else None,
            director_title=g.office_director.title if g.office_director else None,
            deputy_unit=g.office_deputy_director.unit if g.office_deputy_director else None,
            deputy_title=g.office_deputy_director.title if g.office_deputy_director else None,
        )
        f.edge(did, gid, Rel.ESTABLISHES, doc=did)
        if g.office_unit:
            f.edge(gid, unit(g.office_unit), Rel.OFFICE_AT, doc=did)
        for i, m in enumerate(g.members):
            pid = person_id(region, m.name)
            f.node(pid, Label.PERSON, name=m.name, region=region)
            f.edge(pid, gid, Rel.MEMBER_OF, doc=did, role=m.role, order=i, chain=m.chain)
            for p in m.positions:
                if p.unit:
                    f.edge(
                        pid,
                        unit(p.unit),
                        Rel.HOLDS,
                        p.title,
                        doc=did,
                        title=p.title,
                        surface=p.surface,
                    )
        for c in g.collective_members:
            f.edge(
                unit(c.unit),
                gid,
                Rel.MEMBER_OF,
                c.text,
                doc=did,
                role="成员",
                text=c.text,
                title=c.title,
            )
    return f
