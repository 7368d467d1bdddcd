"""Answer models shared by the networkx and Cypher paths, the CLI and the HTTP API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    """Base of every answer model of the questions: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class PersonPost(Answer):
    """A person and the post they hold in a unit (frozen: answers kept per store version share
    one instance per head)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    name: str
    title: str | None = None
    unit: str | None = None


class UnitRole(Answer):
    """A unit on a task: role (lead/support/responsible), order and accountable heads."""

    id: str
    name: str
    role: str
    order: int
    heads: list[PersonPost] = Field(default_factory=list)


class MatrixTask(Answer):
    """A column of the responsibility matrix."""

    id: str
    document: str
    number: str | None = None
    full_number: str | None = None
    title: str
    deadline: str | None = None


class TaskRow(MatrixTask):
    """A task with its document, number and units in document order."""

    units: list[UnitRole] = Field(default_factory=list)
    role: str | None = Field(default=None, description="the asked unit's role, in tasks_of")


class UnitSummary(Answer):
    """A unit with its task load and head."""

    id: str
    name: str
    region: str | None = None
    kind: str | None = None
    task_count: int
    lead_count: int = 0
    heads: list[PersonPost] = Field(default_factory=list)


class Office(Answer):
    """A group's office: where it sits and who directs it."""

    group: str
    unit: str | None = None
    director: PersonPost | None = None
    deputy_director: PersonPost | None = None


class WhoAnswer(Answer):
    """Who is on the hook for a task."""

    task: TaskRow
    units: list[UnitRole]
    offices: list[Office] = Field(default_factory=list)


class MatrixUnit(Answer):
    """A row of the responsibility matrix: the unit's role per task id."""

    id: str
    name: str
    cells: dict[str, str]


class Matrix(Answer):
    """Units × tasks; cell = role of the unit on the task."""

    tasks: list[MatrixTask]
    units: list[MatrixUnit]


class Coverage(Answer):
    """Where the task list and the leading group do not meet."""

    task_units_without_group_member: list[str]
    group_units_without_task: list[str]


class Hit(Answer):
    """A search result."""

    id: str
    label: str
    name: str
    region: str | None = None
    matched: str | None = None


class NodeLink(Answer):
    """A neighbourhood as node-link JSON."""

    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]
