"""A document's version history: what each version said about its tasks and their units.

A Document node keeps ``versions``, a list of :class:`Version` (its content hash, file and a
task → units summary), so ``zhenkg diff DOC@1 DOC@2`` can say which version stated what after
later versions replaced the facts (:mod:`graph.merge` appends to it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from graph.record import Record
from graph.schema import Label, Rel

if TYPE_CHECKING:
    import networkx as nx


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VersionTask(_Model):
    """What one version of a document said about one task."""

    id: str
    number: str | None = None
    title: str
    deadline: str | None = None
    units: list[tuple[str, str]] = Field(
        default_factory=list, description="(unit name, role) in document order"
    )


class Version(_Model):
    """One version of a document: its content hash, file and task → units summary."""

    version: int
    sha256: str | None = None
    source: str | None = None
    tasks: list[VersionTask] = Field(default_factory=list)


def version_tasks(record: Record) -> list[VersionTask]:
    """The task → units summary of a record, in document order."""
    return [
        VersionTask(
            id=t.id,
            number=t.full_number or t.number,
            title=t.title,
            deadline=t.deadline,
            units=[(u.name, u.role.value) for u in t.units],
        )
        for t in record.tasks
    ]


def version_json(record: Record, version: int) -> dict[str, Any]:
    """A record's :class:`Version` number ``version`` as ``model_dump(mode="json")`` gives it,
    written directly: a new document's history needs no model per task."""
    doc = record.document
    return {
        "version": version,
        "sha256": doc.sha256,
        "source": doc.source,
        "tasks": [
            {
                "id": t.id,
                "number": t.full_number or t.number,
                "title": t.title,
                "deadline": t.deadline,
                # ``_value_``: ``value`` is a property, a Python call per unit (~100 a plan)
                "units": [[u.name, u.role._value_] for u in t.units],
            }
            for t in record.tasks
        ],
    }


def graph_tasks(G: nx.MultiDiGraph, doc: str) -> list[VersionTask]:
    """The task → units summary of a stored document, read from its Task nodes."""
    tasks = [
        n
        for n, d in G.nodes(data=True)
        if d.get("label") == Label.TASK.value and d.get("doc") == doc
    ]
    out = []
    for t in sorted(tasks, key=lambda n: int(G.nodes[n].get("order", 0))):
        d = G.nodes[t]
        units = sorted(
            (
                (int(e.get("order", 0)), G.nodes[u].get("name", u), str(e.get("role")))
                for u, _, e in G.in_edges(t, data=True)
                if e.get("type") == Rel.RESPONSIBLE_FOR.value
            ),
        )
        out.append(
            VersionTask(
                id=str(d.get("local_id") or t),
                number=d.get("full_number") or d.get("number"),
                title=str(d.get("title", "")),
                deadline=d.get("deadline"),
                units=[(name, role) for _, name, role in units],
            )
        )
    return out


def versions_of(raw: Any) -> tuple[Version, ...]:
    """A Document node's ``versions`` attribute as models (a list of maps, or its JSON text)."""
    if isinstance(raw, str):  # Cypher stores keep a list of maps as JSON text
        raw = json.loads(raw)
    return tuple(Version.model_validate(v) for v in raw or [])
