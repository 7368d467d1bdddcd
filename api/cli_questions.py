"""``zhenkg tasks``, ``units``, ``matrix``, ``who``, ``search`` and ``coverage``: the
planners' questions on the CLI.

The question service (``queries.service``) and its answer models are imported by the commands
that ask them: every start of the CLI builds this module's parser.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from api import render
from api.cli import (
    RESPONSIBILITY,
    _all_questions,
    _common,
    _dump,
    _dump_exact,
    _questions,
    _store,
    _unit_questions,
    print_kept,
    resolve_unit_name,
)
from api.labels import role_label
from api.names import check_region
from graph.schema import Label
from graph.store import GraphStore
from queries.kept import answer_key, kept

if TYPE_CHECKING:
    from queries.answers import TaskRow, UnitSummary
    from queries.service import Questions


def cmd_tasks(args: argparse.Namespace) -> int:
    from api.lookup import tasks_in

    if args.unit and not args.region and not args.document:
        store = _store(args)
        fmt = "json" if args.json else "table"
        (text,) = kept(store, answer_key("tasks", args.unit, fmt), lambda: _unit_tasks(args, store))
        print(text)
        return 0
    q = _unit_questions(args)
    rows = tasks_in(q, args.unit, args.region, args.document)
    print(_dump(rows) if args.json else _tasks_table(q, args.unit, rows))
    return 0


def _unit_tasks(args: argparse.Namespace, store: GraphStore) -> tuple[int | None, list[str]]:
    """``tasks --unit`` alone: the generation read and what the command prints."""
    from api.lookup import tasks_in

    # The table shows each task's role, not who heads the units: their posts are not read.
    q = _unit_questions(args, store, "units" if args.json else "unit_roles")
    rows = tasks_in(q, args.unit)
    return q.generation, [_dump_exact(rows) if args.json else _tasks_table(q, args.unit, rows)]


def _tasks_table(q: Questions, unit: str | None, rows: Sequence[TaskRow]) -> str:
    """The tasks as a table; with the document of each when they come from several (a
    number such as 二（一）3. is every plan's)."""
    asked = set(resolve_unit_name(q, unit)) if unit else set()
    several = len({r.id.rsplit(":", 1)[0] for r in rows}) > 1  # by key: titles can repeat
    return render.table(
        ["文件"] * several + ["任务", "标题", "角色" if unit else "责任单位", "时限"],
        [
            [r.document] * several
            + [
                r.full_number or r.id,
                r.title,
                _role_on(r, asked) if unit else "、".join(u.name for u in r.units),
                r.deadline or "",
            ]
            for r in rows
        ],
    )


def _role_on(row: TaskRow, asked: set[str]) -> str:
    """The role on ``row`` of the asked units (ids) by the one lead rule (牵头（按排序推定）
    when inferred)."""
    from api.leads import lead_of

    lead = lead_of(row.units)
    if asked & set(lead.units):
        return role_label("lead", lead.inferred)
    return role_label(row.role)


def cmd_units(args: argparse.Namespace) -> int:
    from api.leads import with_lead_counts

    form = ("full" if args.full else "json") if args.json else "table"
    key = answer_key("units", args.region, "all" if args.all else None, form)
    print_kept(
        args,
        key,
        lambda q: _units_answer(args, with_lead_counts(q.units(), q.tasks())),
        part=RESPONSIBILITY,
    )
    return 0


def _units_answer(args: argparse.Namespace, everyone: list[UnitSummary]) -> str:
    """The units list as ``units`` prints it (``everyone``: with their lead counts)."""
    check_region((u.region for u in everyone), args.region)
    units = [
        u
        for u in everyone
        if (u.task_count or args.all) and (not args.region or u.region == args.region)
    ]
    if args.json:
        brief = [
            {
                "id": u.id,
                "name": u.name,
                "region": u.region,
                "task_count": u.task_count,
                "lead_count": u.lead_count,
            }
            for u in units
        ]
        return _dump(units if args.full else brief)
    regions = len({u.region for u in everyone}) > 1
    return render.table(
        ["单位", *(["地区"] if regions else []), "任务数", "牵头", "负责人"],
        [
            [
                u.name,
                *([u.region or ""] if regions else []),
                u.task_count,
                u.lead_count,
                "、".join(f"{h.name}（{h.title}）" for h in u.heads),
            ]
            for u in units
        ],
    )


def cmd_matrix(args: argparse.Namespace) -> int:
    if args.format == "xlsx":
        from api.supervision import write_supervision_for

        if not args.out:
            print("zhenkg: error: --format xlsx writes a file: give --out FILE", file=sys.stderr)
            return 1
        if args.region or args.document:
            print(
                "zhenkg: error: --format xlsx writes every task; --region and --document "
                "narrow the table, csv and json",
                file=sys.stderr,
            )
            return 1
        print(f"wrote {write_supervision_for(_all_questions(args), args.out)}")
        return 0
    fmt = "json" if args.json else args.format
    key = answer_key("matrix", args.region, args.document, fmt)
    end = "" if fmt == "csv" else "\n"
    print_kept(args, key, lambda q: _matrix_text(args, q, fmt), end, RESPONSIBILITY)
    return 0


def _matrix_text(args: argparse.Namespace, q: Questions, fmt: str) -> str:
    """The matrix as ``matrix`` prints it in ``fmt`` (table, csv or json)."""
    from api.leads import matrix_leads
    from api.lookup import matrix_in

    m = matrix_in(q, args.region, args.document)
    if fmt == "json":
        return _dump(m)
    if fmt == "csv":
        return render.matrix_csv(m, matrix_leads(q, m))
    # one table a document: units × every task of a province would be millions of cells
    return render.matrix_tables(m, q.by_document(m), matrix_leads(q, m))


def cmd_who(args: argparse.Namespace) -> int:
    ans = _questions(args, "who", args.task).who(args.task)
    if args.json:
        print(_dump(ans))
        return 0
    from api.leads import lead_of

    t = ans.task
    lead = lead_of(ans.units)
    print(f"{t.full_number or t.id} {t.title}  [{t.document}]")
    print(
        render.table(
            ["单位", "角色", "负责人"],
            [
                [
                    u.name,
                    role_label(u.role, u.id in lead.units and lead.inferred)
                    if u.id in lead.units
                    else role_label(u.role),
                    "、".join(f"{h.name}（{h.title}）" for h in u.heads) or "—",
                ]
                for u in ans.units
            ],
        )
    )
    for o in ans.offices:
        director = (
            f"{o.director.name}（{o.director.unit}{o.director.title}）" if o.director else "—"
        )
        deputy = (
            f"{o.deputy_director.name}（{o.deputy_director.unit}{o.deputy_director.title}）"
            if o.deputy_director
            else "—"
        )
        print(f"\n{o.group}办公室：设在{o.unit or '—'}；主任 {director}；副主任 {deputy}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from api.labels import node_label
    from api.lookup import alias_targets, search

    # the nodes holding the text, or the full name of a unit it is short for: not every node
    text = args.text.strip()
    hits = search(_questions(args, "search", text, *alias_targets(text)), args.text, args.limit)
    if args.json:
        print(_dump(hits))
        return 0
    print(
        render.table(
            ["名称", "类型", "地区", "匹配"],
            [
                [
                    h.name,
                    node_label(h.label),
                    h.region or "",
                    h.matched if h.matched != h.name else "",
                ]
                for h in hits
            ],
        )
    )
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from queries.answers import Coverage
    from queries.service import Questions

    store = _store(args)

    def compute() -> tuple[int | None, list[str]]:
        q = Questions.part(store, "coverage")
        regions = {u.get("region") for u in q.nodes(Label.UNIT)} - {None}
        return q.generation, [_dump_exact(q.coverage(args.region)), str(len(regions))]

    text, regions = kept(store, answer_key("coverage", args.region), compute)
    if args.json:
        print(text)
        return 0
    c = Coverage.model_validate_json(text)
    if not store.counts().get("Document"):
        print("尚未导入文件：先用 zhenkg ingest 文件 导入实施方案，再看覆盖情况。")
        return 0
    print("责任单位中无领导小组成员的：" + ("、".join(c.task_units_without_group_member) or "无"))
    print("领导小组成员单位中无任务的：" + ("、".join(c.group_units_without_task) or "无"))
    if args.region is None and int(regions) > 1:  # names of many counties' units, merged
        print(
            f"（库中有 {regions} 个地区的单位，以上按单位名称合并列出；"
            "用 --region 地区 只看一个地区。）"
        )
    return 0


def register(sub: Any) -> None:
    """Add the question commands to the ``zhenkg`` parser."""
    p = sub.add_parser("tasks", help="tasks, or the tasks of one unit")
    p.add_argument("--unit", help="unit name (full or alias) or id")
    p.add_argument("--region", help="only tasks of this region's documents")
    p.add_argument("--document", help="only this document's tasks (id, number, title, file name)")
    _common(p)
    p.set_defaults(func=cmd_tasks, collect=False)

    p = sub.add_parser("units", help="units with task counts and heads")
    p.add_argument("--all", action="store_true", help="also units that carry no task")
    p.add_argument("--region", help="only units of this region")
    p.add_argument(
        "--full", action="store_true", help="with --json: every field (heads, kind), not the brief"
    )
    _common(p)
    p.set_defaults(func=cmd_units, collect=False)

    p = sub.add_parser("matrix", help="units × tasks responsibility matrix")
    p.add_argument(
        "--format",
        choices=["table", "csv", "json", "xlsx"],
        default="table",
        help="xlsx: the 任务分解表 supervision sheet (needs --out)",
    )
    p.add_argument("--out", help="file to write (--format xlsx)")
    p.add_argument("--region", help="only the tasks of this region's documents")
    p.add_argument("--document", help="only this document's tasks (id, number, title, file name)")
    _common(p)
    p.set_defaults(func=cmd_matrix, collect=False)

    p = sub.add_parser("who", help="units, heads and group office for a task")
    p.add_argument("task", help="task id (三.1), number (三（一）) or part of its title")
    _common(p)
    p.set_defaults(func=cmd_who, collect=False)

    p = sub.add_parser("search", help="units, people, tasks by name, alias or short form (工信)")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50)
    _common(p)
    p.set_defaults(func=cmd_search, collect=False)

    p = sub.add_parser("coverage", help="task units without a group member, and the reverse")
    p.add_argument("--region", help="only units of this region")
    _common(p)
    p.set_defaults(func=cmd_coverage, collect=False)
