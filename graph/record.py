"""The extraction record: what ingest understood about one document (docs/extraction-record.md).

The field names are a public contract read by other tools; extra fields are additions, never
renames. ``Record.model_dump(mode="json")`` is what ``zhenkg extract`` prints.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph.schema import Role

Span = tuple[int, int]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentFields(_Model):
    """Document-level fields."""

    doc_number: str | None = None
    issuer: str | None = None
    title: str | None = None
    date: str | None = None
    region: str | None = None
    source: str | None = Field(default=None, description="file name the record was read from")
    format: str | None = Field(default=None, description="reader used: txt, docx, pdf, html")
    sha256: str | None = Field(default=None, description="hash of the normalised text")
    cites: list[str] = Field(default_factory=list, description="document numbers cited")


class TaskUnit(_Model):
    """One unit responsible for a task."""

    name: str
    surface: str
    role: Role
    span: Span | None = None
    kind: str | None = None


class Provenance(_Model):
    """Where a fact sits in the source beyond the character span."""

    page: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None


class Task(_Model):
    """The smallest heading that carries its own responsibility marker."""

    id: str
    number: str
    full_number: str | None = None
    title: str
    parent: str | None = None
    deadline: str | None = None
    units: list[TaskUnit]
    span: Span
    text: str | None = None
    provenance: Provenance | None = None


class Section(_Model):
    """A heading that encloses tasks (a task's ``parent``)."""

    id: str
    number: str
    title: str
    parent: str | None = None
    span: Span


class Position(_Model):
    """A post held by a group member: title within a unit."""

    title: str
    unit: str
    surface: str | None = None


class Member(_Model):
    """A named member of a group."""

    name: str
    role: str
    positions: list[Position] = Field(default_factory=list)
    chain: str | None = None
    span: Span | None = None


class CollectiveMember(_Model):
    """A member given by position only (各乡镇镇长) or a whole unit (县D局主要负责同志)."""

    text: str
    unit: str
    title: str | None = None
    role: str | None = Field(default=None, description="组长 / 副组长 / 成员 …, when stated")
    span: Span | None = None


class OfficePost(_Model):
    """A post of the group office, given by the position that fills it."""

    title: str
    unit: str


class Group(_Model):
    """A leading group (领导小组), task force (工作专班) or command (指挥部)."""

    name: str
    office_unit: str | None = None
    office_director: OfficePost | None = None
    office_deputy_director: OfficePost | None = None
    members: list[Member] = Field(default_factory=list)
    collective_members: list[CollectiveMember] = Field(default_factory=list)
    span: Span | None = None


class Record(_Model):
    """Everything extracted from one document."""

    document: DocumentFields
    towns: list[str] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    mechanisms: list[str] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    unknown_abbreviations: list[str] = Field(
        default_factory=list, description="unit-like names the alias roster does not know"
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="what a reader should check: nothing found, lines that look like duties "
        "or members but went unparsed",
    )
