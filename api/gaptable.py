"""A chain's gaps as a compact table: one line a gap, repeated fallback owners collapsed.

When no task names a link, its owners are the plan's 招商 (investment-attraction) tasks — the
same tasks, units and people for every such link. Listing them per link buries the few links
a task does name, so links sharing the same fallback owners become one line:
"其余 17 个环节：招商任务 三（五），6 个单位".
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.labels import tier_label
from queries.gaps import GapReport, NodeGap, PersonRef, TaskRef, UnitRef, top_gaps
from queries.targets import head_of, lead_unit


class GapLine(BaseModel):
    """A line of the gap table: one gap, or several gaps with the same fallback owners."""

    model_config = ConfigDict(extra="forbid")

    nodes: list[NodeGap]
    fallback: bool = False
    tasks: list[TaskRef] = Field(default_factory=list)
    units: list[UnitRef] = Field(default_factory=list)
    people: list[PersonRef] = Field(default_factory=list)
    lead: UnitRef | None = None
    person: PersonRef | None = None

    @property
    def collapsed(self) -> bool:
        """Whether the line stands for several links."""
        return len(self.nodes) > 1

    @property
    def score(self) -> float:
        """The highest score among the line's links."""
        return max(n.score for n in self.nodes)

    @property
    def task_text(self) -> str:
        """The source tasks by number (招商任务 … for a fallback)."""
        numbers = "、".join(t.number or t.title or t.id for t in self.tasks) or "无"
        return f"招商任务 {numbers}" if self.fallback else numbers

    @property
    def summary(self) -> str:
        """What a collapsed line says: 其余 N 个环节：招商任务 三（五），6 个单位."""
        return f"其余 {len(self.nodes)} 个环节：{self.task_text}，{len(self.units)} 个单位"


def _line(nodes: list[NodeGap]) -> GapLine:
    first = nodes[0]
    lead = lead_unit(first.units)
    return GapLine(
        nodes=nodes,
        fallback=first.reason == "fallback",
        tasks=first.tasks,
        units=first.units,
        people=first.people,
        lead=lead,
        person=head_of(first.people, lead),
    )


def gap_lines(report: GapReport) -> list[GapLine]:
    """The gaps of ``report`` in the order to act on them; fallback gaps with the same tasks
    and units collapse into one line, after the gaps a task names."""
    own: list[GapLine] = []
    shared: dict[tuple[tuple[str, ...], tuple[str, ...]], list[NodeGap]] = {}
    for g in top_gaps(report, None):
        if g.reason == "fallback":
            key = (tuple(t.id for t in g.tasks), tuple(u.id for u in g.units))
            shared.setdefault(key, []).append(g)
        else:
            own.append(_line([g]))
    return own + [_line(nodes) for nodes in shared.values()]


def gap_rows(report: GapReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the gap table for the CLI."""
    header = ["环节", "层级", "建议", "得分", "牵头单位", "负责人", "来源任务"]
    rows = []
    for line in gap_lines(report):
        n = line.nodes[0]
        rows.append(
            [
                line.summary if line.collapsed else n.name,
                "" if line.collapsed else tier_label(n.tier),
                "、".join(dict.fromkeys(x.action or "" for x in line.nodes)),
                f"{line.score:.2f}",
                (line.lead.name or line.lead.id) if line.lead else "—",
                (line.person.name or line.person.id) if line.person else "—",
                line.task_text,
            ]
        )
    return header, rows
