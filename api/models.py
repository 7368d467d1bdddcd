"""Response models of the views the API and the pages show (filled by ``api.views`` and
``api.unit_views``).

The answers of ``queries.answers`` are reused where they fit; these add provenance (the task's
text, span and responsibility marker), group roles and people.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from queries.answers import Office, PersonPost, TaskRow, UnitRole, UnitSummary


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentRef(_View):
    """A document named by id, number and title."""

    id: str
    doc_number: str | None = None
    title: str | None = None


class DocumentSummary(DocumentRef):
    """A document with what was extracted from it."""

    issuer: str | None = None
    date: str | None = None
    region: str | None = None
    source: str | None = Field(default=None, description="file name it was read from")
    format: str | None = None
    task_count: int = 0
    groups: list[str] = Field(default_factory=list)
    towns: list[str] = Field(default_factory=list)


class VersionSummary(_View):
    """One version of a document: its number, content hash, file and task count."""

    version: int
    sha256: str | None = None
    source: str | None = None
    task_count: int = 0


class DocumentDetail(DocumentSummary):
    """A document with its tasks, sections, working mechanisms and versions."""

    versions: list[VersionSummary] = Field(
        default_factory=list, description="every version ingested, oldest first"
    )
    tasks: list[TaskRow] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    mechanisms: list[str] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list)


class UnitOnTask(UnitRole):
    """A unit on a task, as the document wrote it (``surface``) and where (``span``)."""

    surface: str | None = None
    span: tuple[int, int] | None = None
    lead: bool = Field(
        default=False,
        description="leads the task: a stated 牵头, or the first unit when none is stated",
    )


class Marker(_View):
    """The responsibility marker clause (〔责任单位：…〕) and its character span."""

    sentence: str
    span: tuple[int, int]


class TaskDetail(_View):
    """A task with its units, their heads, the group office, and where the text says so."""

    id: str
    document: DocumentRef
    number: str | None = None
    full_number: str | None = None
    title: str
    deadline: str | None = None
    section: str | None = Field(default=None, description="title of the enclosing heading")
    units: list[UnitOnTask]
    lead_inferred: bool = Field(
        default=False,
        description="no 牵头 is stated: the first unit listed is taken as the lead (牵头（按排序推定）)",
    )
    offices: list[Office] = Field(default_factory=list)
    text: str | None = Field(default=None, description="the task's text in the document")
    span: tuple[int, int] | None = Field(default=None, description="character span of the text")
    page: int | None = None
    marker: Marker | None = None


class GroupRole(_View):
    """What a unit is to a group: office seat, office director's unit, member's unit."""

    group: str
    group_name: str
    role: str
    person: PersonPost | None = None


class UnitDetail(_View):
    """A unit: its load, heads, tasks across documents, people and group roles."""

    unit: UnitSummary
    tasks: list[TaskRow]
    documents: list[DocumentRef]
    people: list[PersonPost] = Field(description="everyone holding a post in the unit")
    groups: list[GroupRole]
    leads: dict[str, bool] = Field(
        default_factory=dict,
        description="task id → whether the lead was inferred, for every task the unit leads",
    )


class Membership(_View):
    """A person's place in a group."""

    group: str
    group_name: str
    role: str
    chain: str | None = Field(default=None, description="the chain they lead (链长), if any")


class PersonSummary(_View):
    """A person, their posts and group roles."""

    id: str
    name: str
    region: str | None = None
    posts: list[PersonPost]
    groups: list[Membership]


class PersonDetail(PersonSummary):
    """A person and the tasks of the units they head (what they are accountable for)."""

    accountable: list[TaskRow]
    chains: list[str] = Field(default_factory=list, description="chains they lead (链长)")


class CollectiveMember(_View):
    """A group member given by position only (各乡镇镇长)."""

    unit: str
    unit_name: str
    text: str
    title: str | None = None


class GroupView(_View):
    """A leading group: office, director, members."""

    id: str
    name: str
    region: str | None = None
    office: Office
    members: list[PersonSummary]
    collective_members: list[CollectiveMember]
    documents: list[str]
