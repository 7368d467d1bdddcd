"""The ``zhenkg`` command line: extract, ingest, and the planners' questions.

Every query command takes ``--json``; unit names are accepted in full or alias form. Errors
print as one line on stderr and exit with status 1.

The ingest pipeline (spaCy, the format readers) and openpyxl are imported inside the commands
that use them, so that ``--help`` and the query commands start in a fraction of the time
(``tests/api/test_lazy_imports.py`` holds every command module to that); so are the questions'
answer models and renderers, which ``ingest`` does not need.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_core import to_json

from api.labels import role_label
from api.names import check_region, with_aliases
from graph.errors import ZhenkgError
from graph.store import GraphStore, default_db_path, open_store
from queries.kept import answer_key, kept

if TYPE_CHECKING:
    from queries.answers import TaskRow
    from queries.service import Questions

Handler = Callable[[argparse.Namespace], int]


def _dump(value: Any) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif isinstance(value, list):
        value = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    return json.dumps(value, ensure_ascii=False, indent=2)


def _dump_exact(value: BaseModel | Sequence[BaseModel]) -> str:
    """As :func:`_dump`, through pydantic's serialiser: the same text for answers without
    floats (task rows, coverage: pydantic writes 1e-7 where ``json`` writes 1e-07), and a
    fraction of the time for the megabytes of a common unit's tasks."""
    return to_json(value, indent=2, by_alias=False).decode("utf-8")


def _store(args: argparse.Namespace) -> GraphStore:
    return open_store(getattr(args, "store", None), getattr(args, "db", None))


def _all_questions(args: argparse.Namespace) -> Questions:
    """Questions over the whole store."""
    from queries.service import Questions

    return Questions(_store(args))


def _questions(args: argparse.Namespace, question: str, *ref: str) -> Questions:
    """Questions over the part of the store ``question`` needs (the whole store if unsure)."""
    from queries.service import Questions

    return Questions.part(_store(args), question, *ref)


def _unit_questions(args: argparse.Namespace, store: GraphStore | None = None) -> Questions:
    """For ``tasks --unit`` alone: Questions over the named unit's part of the store (its
    canonical name's when the roster knows it as an alias); else over the whole store."""
    from queries.service import Questions

    store = store or _store(args)
    if not args.unit or args.region or args.document or not hasattr(store, "read_part"):
        return Questions(store)
    found: list[Questions] = []

    def lookup(name: str) -> list[str]:
        q = Questions.part(store, "units", name)
        ids = q.unit_ids(name)
        found.append(q)
        return ids

    try:
        with_aliases(lookup, args.unit)
    except ZhenkgError:
        return Questions(store)
    return found[-1]


def resolve_unit_name(q: Questions, name: str) -> list[str]:
    """Unit ids for a name in full or alias form (the roster turns 县工信局 into its full name)."""
    return with_aliases(q.unit_ids, name)


# -- commands ------------------------------------------------------------------------------
def cmd_extract(args: argparse.Namespace) -> int:
    from ingest.pipeline import extract_file

    record = extract_file(args.file)
    data = record.model_dump(mode="json", exclude_none=False)
    if not args.explain:
        data.pop("unknown_abbreviations", None)
        for t in data["tasks"]:
            t.pop("text", None)
    print(json.dumps(data, ensure_ascii=False, indent=2))
    for warning in record.warnings:
        print(f"zhenkg: 提示：{warning}", file=sys.stderr)
    if args.explain and record.unknown_abbreviations:
        print(
            "not in the alias roster (kept as written): " + "、".join(record.unknown_abbreviations),
            file=sys.stderr,
        )
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from api.ingest_cmd import run_ingest

    store = _store(args)
    try:
        return run_ingest(store, args)
    finally:
        store.close()


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

    q = _unit_questions(args, store)
    rows = tasks_in(q, args.unit)
    return q.generation, [_dump_exact(rows) if args.json else _tasks_table(q, args.unit, rows)]


def _tasks_table(q: Questions, unit: str | None, rows: Sequence[TaskRow]) -> str:
    from api import render

    asked = set(resolve_unit_name(q, unit)) if unit else set()
    return render.table(
        ["任务", "标题", "角色" if unit else "责任单位", "时限"],
        [
            [
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
    from api import render
    from api.leads import with_lead_counts

    q = _all_questions(args)
    everyone = with_lead_counts(q.units(), q.tasks())
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
        print(_dump(units if args.full else brief))
        return 0
    regions = len({u.region for u in everyone}) > 1
    print(
        render.table(
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
    )
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    if args.format == "xlsx":
        from api.supervision import write_supervision_for

        if not args.out:
            print("zhenkg: error: --format xlsx writes a file: give --out FILE", file=sys.stderr)
            return 1
        print(f"wrote {write_supervision_for(_all_questions(args), args.out)}")
        return 0
    from api import render
    from api.leads import matrix_leads

    q = _all_questions(args)
    m = q.matrix()
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print(_dump(m))
    elif fmt == "csv":
        sys.stdout.write(render.matrix_csv(m, matrix_leads(m, q.tasks())))
    else:
        print(render.matrix_table(m, matrix_leads(m, q.tasks())))
    return 0


def cmd_who(args: argparse.Namespace) -> int:
    ans = _questions(args, "who", args.task).who(args.task)
    if args.json:
        print(_dump(ans))
        return 0
    from api import render
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
    from api import render
    from api.labels import node_label
    from api.lookup import search

    hits = search(_all_questions(args), args.text, args.limit)
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
        return q.generation, [_dump_exact(q.coverage(args.region))]

    (text,) = kept(store, answer_key("coverage", args.region), compute)
    if args.json:
        print(text)
        return 0
    c = Coverage.model_validate_json(text)
    if not store.counts().get("Document"):
        print("尚未导入文件：先用 zhenkg ingest 文件 导入实施方案，再看覆盖情况。")
        return 0
    print("责任单位中无领导小组成员的：" + ("、".join(c.task_units_without_group_member) or "无"))
    print("领导小组成员单位中无任务的：" + ("、".join(c.group_units_without_task) or "无"))
    return 0


# -- parser --------------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser, json_flag: bool = True) -> None:
    p.add_argument("--db", help=f"embedded store file (default $ZHENKG_DB or {default_db_path()})")
    p.add_argument(
        "--store",
        help="store URI (bolt://, neo4j://, falkordb://) or store file; default $ZHENKG_STORE",
    )
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="zhenkg", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="print the extraction record of a document")
    p.add_argument("file")
    p.add_argument(
        "--explain",
        action="store_true",
        help="also print task text and the names the alias roster does not know",
    )
    # imports: the modules the command imports when it runs, which the console script imports
    # first with the collector off (:func:`run`)
    p.set_defaults(func=cmd_extract, imports=("ingest.pipeline",))

    p = sub.add_parser("ingest", help="merge documents (files or folders) into the store")
    p.add_argument(
        "files", nargs="+", help="documents, or folders walked for .txt .docx .pdf .html .htm"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _common(p, json_flag=False)
    p.set_defaults(func=cmd_ingest, imports=("api.ingest_cmd",))

    p = sub.add_parser("tasks", help="tasks, or the tasks of one unit")
    p.add_argument("--unit", help="unit name (full or alias) or id")
    p.add_argument("--region", help="only tasks of this region's documents")
    p.add_argument("--document", help="only this document's tasks (id, number, title, file name)")
    _common(p)
    p.set_defaults(func=cmd_tasks)

    p = sub.add_parser("units", help="units with task counts and heads")
    p.add_argument("--all", action="store_true", help="also units that carry no task")
    p.add_argument("--region", help="only units of this region")
    p.add_argument(
        "--full", action="store_true", help="with --json: every field (heads, kind), not the brief"
    )
    _common(p)
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("matrix", help="units × tasks responsibility matrix")
    p.add_argument(
        "--format",
        choices=["table", "csv", "json", "xlsx"],
        default="table",
        help="xlsx: the 任务分解表 supervision sheet (needs --out)",
    )
    p.add_argument("--out", help="file to write (--format xlsx)")
    _common(p)
    p.set_defaults(func=cmd_matrix)

    p = sub.add_parser("who", help="units, heads and group office for a task")
    p.add_argument("task", help="task id (三.1), number (三（一）) or part of its title")
    _common(p)
    p.set_defaults(func=cmd_who)

    p = sub.add_parser("search", help="units, people, tasks by name, alias or short form (工信)")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50)
    _common(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("coverage", help="task units without a group member, and the reverse")
    p.add_argument("--region", help="only units of this region")
    _common(p)
    p.set_defaults(func=cmd_coverage)

    for extend in EXTENSIONS:
        if isinstance(extend, str):
            importlib.import_module(extend).register(sub)
        else:
            extend(sub)
    return parser


# Later command families (chains, server, stores) register here without touching the above:
# a module name (imported when the parser is built: its ``register(sub)``) or a callable.
EXTENSIONS: list[Callable[[Any], None] | str] = [
    "api.cli_chains",
    "api.cli_crossdoc",
    "api.cli_store",
    "api.cli_server",
    "api.cli_progress",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; ``ZhenkgError`` becomes one line on stderr and exit status 1."""
    return _command(build_parser().parse_args(argv))


def _command(args: argparse.Namespace) -> int:
    handler: Handler = args.func
    try:
        return handler(args)
    except ZhenkgError as exc:
        print(f"zhenkg: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


def run() -> None:
    """The ``zhenkg`` console script: :func:`main`, with the garbage collector kept out of
    start-up and exit.

    Start-up builds what lives as long as the process: the modules, spaCy and its vocabulary,
    pydantic's schemas, some hundreds of compiled patterns. CPython's collector walks all of it
    again and again while it grows (~0.1 s of a ~0.9 s ``zhenkg ingest`` of one plan), and at
    exit once more (0.2-0.3 s after an ingest), for memory that is never garbage. So the parser
    and the modules a command names in its ``imports`` default are imported with the collector
    off, what they built is frozen (``gc.freeze()``: left out of every later collection), and the
    command runs with the collector on; the heap is frozen again before exit. Only the process's
    own entry point does this; callers of :func:`main` (tests) keep collecting.
    """
    gc.disable()
    try:
        args = build_parser().parse_args()
        for module in getattr(args, "imports", ()):
            importlib.import_module(module)
    finally:
        gc.freeze()
        gc.enable()
    status = _command(args)
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
