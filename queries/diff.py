"""What changed between two documents, or two versions of one: tasks and who is on them.

Pure functions over task summaries (:class:`graph.versions.VersionTask`: id, number, title,
deadline, units as (name, role)), which come from a record (a file), from a stored version
(``versions`` on the Document node) or from the graph.

Tasks are paired in three passes: the same title; then, among the rest, the most similar titles
(``difflib`` ratio, with a bonus for the same task id) above :data:`RENAME_THRESHOLD` — a
*rename*; whatever is left is *added* or *removed*. For each pair: units added or dropped,
role changes, the lead (牵头) and the deadline.

The lead of a task is its 牵头单位; a task that names only 责任单位 is led by the first of them,
as county supervision sheets (督办) read it (:func:`queries.lead_rule.split_lead`).

>>> a = [VersionTask(id="三.1", title="强化产业集聚", units=[("县甲局", "responsible"), ("县乙局", "responsible")])]
>>> b = [VersionTask(id="三.1", title="强化产业集聚", units=[("县甲局", "responsible"), ("县丙局", "responsible")])]
>>> d = diff_tasks(a, b)
>>> d.changed[0].units_added, d.changed[0].units_dropped, d.same
(['县丙局'], ['县乙局'], False)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from pydantic import Field

from graph.errors import UnknownNode
from graph.merge import StoredDocument, find_document
from graph.versions import VersionTask
from queries.answers import Answer
from queries.lead_rule import split_lead

RENAME_THRESHOLD = 0.5
SAME_ID_BONUS = 0.2


class TaskRef(Answer):
    """A task named in a diff."""

    id: str
    number: str | None = None
    title: str


class Change(Answer):
    """A value before and after."""

    before: str | None = None
    after: str | None = None


class RoleChange(Answer):
    """A unit on the task in both, with a different role."""

    unit: str
    before: str
    after: str


class TaskChange(Answer):
    """A task present in both, and what changed about it (B's id, number and title)."""

    id: str
    number: str | None = None
    title: str
    was: TaskRef = Field(description="the same task in A")
    renamed: Change | None = None
    units_added: list[str] = Field(default_factory=list)
    units_dropped: list[str] = Field(default_factory=list)
    roles: list[RoleChange] = Field(default_factory=list)
    lead: Change | None = None
    deadline: Change | None = None


class DocumentDiff(Answer):
    """Everything that differs between A and B, task by task."""

    a: str = ""
    b: str = ""
    added: list[TaskRef] = Field(default_factory=list)
    removed: list[TaskRef] = Field(default_factory=list)
    changed: list[TaskChange] = Field(default_factory=list)

    @property
    def same(self) -> bool:
        """Whether A and B state the same tasks with the same units, leads and deadlines."""
        return not (self.added or self.removed or self.changed)


def _ref(t: VersionTask) -> TaskRef:
    return TaskRef(id=t.id, number=t.number, title=t.title)


def match_tasks(a: Sequence[VersionTask], b: Sequence[VersionTask]) -> list[tuple[int, int]]:
    """Pairs (index in A, index in B) of the same task, in B's order."""
    pairs: dict[int, int] = {}
    free_b = set(range(len(b)))
    for i, t in enumerate(a):
        j = next((j for j in sorted(free_b) if b[j].title == t.title), None)
        if j is not None:
            pairs[i] = j
            free_b.discard(j)
    scored = sorted(
        (
            (
                difflib.SequenceMatcher(None, a[i].title, b[j].title).ratio()
                + (SAME_ID_BONUS if a[i].id == b[j].id else 0.0),
                i,
                j,
            )
            for i in range(len(a))
            if i not in pairs
            for j in free_b
        ),
        key=lambda s: (-s[0], s[1], s[2]),
    )
    for score, i, j in scored:
        if score >= RENAME_THRESHOLD and i not in pairs and j in free_b:
            pairs[i] = j
            free_b.discard(j)
    return sorted(pairs.items(), key=lambda p: p[1])


def compare_task(a: VersionTask, b: VersionTask) -> TaskChange | None:
    """What changed from ``a`` to ``b`` (the same task), or None when nothing did."""
    roles_a, roles_b = dict(a.units), dict(b.units)
    change = TaskChange(
        id=b.id,
        number=b.number,
        title=b.title,
        was=_ref(a),
        renamed=Change(before=a.title, after=b.title) if a.title != b.title else None,
        units_added=[n for n, _ in b.units if n not in roles_a],
        units_dropped=[n for n, _ in a.units if n not in roles_b],
        roles=[
            RoleChange(unit=n, before=roles_a[n], after=role)
            for n, role in b.units
            if n in roles_a and roles_a[n] != role
        ],
        deadline=Change(before=a.deadline, after=b.deadline) if a.deadline != b.deadline else None,
    )
    lead_a, lead_b = split_lead(a.units)[0], split_lead(b.units)[0]
    if lead_a != lead_b:
        change.lead = Change(before="、".join(lead_a) or None, after="、".join(lead_b) or None)
    touched = (
        change.renamed
        or change.units_added
        or change.units_dropped
        or change.roles
        or change.lead
        or change.deadline
    )
    return change if touched else None


def diff_tasks(
    a: Sequence[VersionTask], b: Sequence[VersionTask], a_name: str = "A", b_name: str = "B"
) -> DocumentDiff:
    """The differences between two task lists (two documents, or two versions of one)."""
    pairs = match_tasks(a, b)
    paired_a, paired_b = {i for i, _ in pairs}, {j for _, j in pairs}
    changes = [c for i, j in pairs if (c := compare_task(a[i], b[j])) is not None]
    return DocumentDiff(
        a=a_name,
        b=b_name,
        added=[_ref(t) for j, t in enumerate(b) if j not in paired_b],
        removed=[_ref(t) for i, t in enumerate(a) if i not in paired_a],
        changed=changes,
    )


def stored_tasks(index: Mapping[str, StoredDocument], ref: str) -> tuple[str, list[VersionTask]]:
    """A label and the tasks of a stored document, ``REF`` (current) or ``REF@N`` (version N).

    Raises:
        UnknownNode: no such document, or it has no version N.

    >>> from graph.versions import Version
    >>> v = [Version(version=1, tasks=[VersionTask(id="一.1", title="甲")]), Version(version=2)]
    >>> idx = {"doc:x": StoredDocument(id="doc:x", doc_number="X〔2023〕1号", versions=tuple(v))}
    >>> stored_tasks(idx, "X〔2023〕1号@1")
    ('X〔2023〕1号@1', [VersionTask(id='一.1', number=None, title='甲', deadline=None, units=[])])
    """
    base, _, at = ref.rpartition("@") if "@" in ref else (ref, "", "")
    doc = find_document(index, base)
    if not doc.versions:
        raise UnknownNode(f"{doc.id!r} is a placeholder for a cited document: nothing to compare")
    if not at:
        v = doc.versions[-1]
    else:
        found = [v for v in doc.versions if str(v.version) == at.removeprefix("v")]
        if not found:
            have = ", ".join(str(v.version) for v in doc.versions)
            raise UnknownNode(f"{base!r} has no version {at!r} (versions: {have})")
        v = found[0]
    label = f"{doc.doc_number or doc.title or doc.id}@{v.version}"
    return label, list(v.tasks)


def diff_lines(d: DocumentDiff) -> list[str]:
    """The diff as text lines: ``+`` added, ``-`` removed, ``~`` changed."""
    lines = [f"--- {d.a}", f"+++ {d.b}"]
    if d.same:
        return [*lines, "no change in tasks, units, leads or deadlines"]
    lines += [f"+ 任务 {t.number or t.id} {t.title}" for t in d.added]
    lines += [f"- 任务 {t.number or t.id} {t.title}" for t in d.removed]
    for c in d.changed:
        lines.append(f"~ 任务 {c.number or c.id} {c.title}")
        if c.renamed:
            lines.append(f"    标题: {c.renamed.before} → {c.renamed.after}")
        lines += [f"    + {u}" for u in c.units_added]
        lines += [f"    - {u}" for u in c.units_dropped]
        lines += [f"    角色 {r.unit}: {r.before} → {r.after}" for r in c.roles]
        if c.lead:
            lines.append(f"    牵头: {c.lead.before or '—'} → {c.lead.after or '—'}")
        if c.deadline:
            lines.append(f"    时限: {c.deadline.before or '—'} → {c.deadline.after or '—'}")
    return lines
