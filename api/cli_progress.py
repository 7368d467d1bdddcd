"""``zhenkg progress import`` and ``zhenkg overdue``: the supervision loop (督办) on the CLI.

- ``zhenkg progress import FILE [--date D]``: a filled 任务分解表 back into the store
  (``api.progress``), all or nothing.
- ``zhenkg overdue [--as-of D] [--unit U] [--region R]``: tasks past their 完成时限 with no
  completion report, by unit, with the person heading it (``queries.progress``).
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from api import render
from api.cli import RESPONSIBILITY, _common, _dump, _store, print_kept
from api.labels import deadline_kind_label, role_label
from api.names import with_aliases
from queries.kept import answer_key

if TYPE_CHECKING:  # the progress questions are imported by the commands that ask them
    from queries.progress import Overdue
    from queries.service import Questions


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def cmd_progress_import(args: argparse.Namespace) -> int:
    from api.progress import import_progress_file

    store = _store(args)
    try:
        done = import_progress_file(store, args.file, args.date)
    finally:
        store.close()
    if args.json:
        print(_dump(done))
        return 0
    print(
        f"{done.file}：导入进展 {done.reports} 条（其中已完成 {done.done} 条），"
        f"未填报 {done.blank} 行，填报日期 {done.reported_on}"
    )
    return 0


def kinds_text(answer: Overdue) -> str:
    """完成时限 of the tasks judged, by kind: 限期 3 项、定期 1 项 …"""
    from queries.progress import KINDS

    return "、".join(
        f"{deadline_kind_label(k)} {answer.kinds[k]} 项" for k in KINDS if answer.kinds.get(k)
    )


def overdue_text(answer: Overdue) -> str:
    """The overdue answer as a heading line and a table, in Chinese."""
    head = f"截至 {answer.as_of}，逾期未完成 {answer.count} 项"
    if answer.kinds:
        head += f"（完成时限：{kinds_text(answer) or '无'}；长期和未识别的时限不计逾期）"
    if not answer.units:
        return head
    rows: list[list[object]] = []
    for u in answer.units:
        people = "、".join(f"{h.name}（{h.title}）" if h.title else h.name for h in u.heads)
        for o in u.tasks:
            t = o.task
            latest = o.latest
            rows.append(
                [
                    u.name,
                    people or "—",
                    role_label(o.role),
                    f"{t.full_number or t.number or ''} {t.title}".strip(),
                    t.deadline or "",
                    deadline_kind_label(o.deadline.kind),
                    o.due,
                    o.days,
                    f"{latest.status or '—'} {latest.reported_on}" if latest else "未填报",
                ]
            )
    header = [
        "单位",
        "负责人",
        "角色",
        "任务",
        "完成时限",
        "时限类型",
        "应完成",
        "逾期天数",
        "最近进展",
    ]
    return head + "\n" + render.table(header, rows)


def cmd_overdue(args: argparse.Namespace) -> int:
    as_of = args.as_of or date.today()
    form = "json" if args.json else "table"
    # kept for the day it judges on: the next look the same day reads no graph
    key = answer_key("overdue", as_of.isoformat(), args.unit, args.region, form)
    print_kept(args, key, lambda q: _overdue_answer(args, q, as_of), part=RESPONSIBILITY)
    return 0


def _overdue_answer(args: argparse.Namespace, q: Questions, as_of: date) -> str:
    """What ``overdue`` prints for the store's questions ``q``."""
    from api.overdue_view import overdue

    units = None
    if args.unit:
        units = with_aliases(lambda name: q.unit_ids(name, args.region), args.unit)
    answer = overdue(q, as_of, units)
    return _dump(answer) if args.json else overdue_text(answer)


def register(sub: Any) -> None:
    """Add ``progress import`` and ``overdue`` to the ``zhenkg`` parser."""
    p = sub.add_parser("progress", help="progress reports (督办): import a filled 任务分解表")
    verbs = p.add_subparsers(dest="verb", required=True)
    imp = verbs.add_parser(
        "import", help="read back the sheet matrix --format xlsx wrote, filled in"
    )
    imp.add_argument("file", help="the filled .xlsx (进展 / 完成情况 / 完成日期)")
    imp.add_argument("--date", type=_date, help="the day of the report (default today)")
    _common(imp)
    imp.set_defaults(func=cmd_progress_import)

    p = sub.add_parser("overdue", help="tasks past their deadline without a completion report")
    p.add_argument("--as-of", type=_date, help="judge on this day (YYYY-MM-DD, default today)")
    p.add_argument("--unit", help="only this unit's tasks (full or alias name)")
    p.add_argument("--region", help="the unit's region, when several regions have one so named")
    _common(p)
    p.set_defaults(func=cmd_overdue, collect=False)
