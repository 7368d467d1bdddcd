"""The ``zhenkg`` command line: extract, ingest, and the planners' questions.

This module holds what every command shares (opening the store, the questions over it, JSON
output, the store options), ``extract`` and ``ingest``, the parser and the entry points; the
command families register their subcommands from their own modules (:data:`EXTENSIONS`:
``api.cli_questions`` for tasks, units, matrix, who, search and coverage, then chains,
documents, stores, the server and progress). Every query command takes ``--json``; unit names
are accepted in full or alias form. Errors print as one line on stderr and exit with status 1.

The ingest pipeline (spaCy, the format readers) and openpyxl are imported inside the commands
that use them, so that ``--help`` and the query commands start in a fraction of the time
(``tests/api/test_lazy_imports.py`` holds every command module to that); so are the question
service and its answer models, which ``ingest`` does not need.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_core import to_json

from api.names import with_aliases
from graph.errors import UnknownUnit, ZhenkgError
from graph.store import GraphStore, default_db_path, open_store

if TYPE_CHECKING:
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


# The part of the store the whole-store responsibility questions read (units, tasks, matrix,
# overdue): every unit, task and document with the RESPONSIBLE_FOR edges, the units' heads and
# the progress reports (``graph.sqlite_parts.responsibility_part``).
RESPONSIBILITY = "responsibility"


def print_kept(
    args: argparse.Namespace,
    key: str,
    answer: Callable[[Questions], str],
    end: str = "\n",
    part: str | None = None,
) -> None:
    """Print what ``answer`` makes of the store's questions (then ``end``), kept in the store
    for the next process under ``key`` (``queries.kept``) at the generation of the graph it
    read; a store that keeps no answers (a JSON file, a Cypher server) computes it each time.
    With ``part``, the questions are over that part of the store where it reads parts
    (``Questions.part``), else over the whole store."""
    from queries.kept import kept
    from queries.service import Questions

    store = _store(args)

    def compute() -> tuple[int | None, list[str]]:
        q = Questions.part(store, part) if part else Questions(store)
        at = q.snapshot.generation if q.cypher is None else None
        return at, [answer(q)]

    (text,) = kept(store, key, compute)
    print(text, end=end)


def _questions(args: argparse.Namespace, question: str, *ref: str) -> Questions:
    """Questions over the part of the store ``question`` needs (the whole store if unsure)."""
    from queries.service import Questions

    return Questions.part(_store(args), question, *ref)


def _unit_questions(
    args: argparse.Namespace, store: GraphStore | None = None, part: str = "units"
) -> Questions:
    """For ``tasks --unit`` alone: Questions over the named unit's ``part`` of the store
    (:func:`units_part`); for the other ``tasks``, over the units, tasks and heads of the
    store (:data:`RESPONSIBILITY`)."""
    from queries.service import Questions

    store = store or _store(args)
    if not args.unit or args.region or args.document:
        return Questions.part(store, RESPONSIBILITY)
    return units_part(store, part, [args.unit])


def units_part(store: GraphStore, part: str, names: Sequence[str]) -> Questions:
    """Questions over the ``part`` of the store for the units ``names`` (and their canonical
    names where the roster knows a name as an alias); the whole store when it reads no parts,
    or when a name fails otherwise than as no unit's (the whole graph words the error)."""
    from queries.service import Questions

    if not hasattr(store, "read_part"):
        return Questions(store)
    q = Questions.part(store, part, *names)
    tried: list[str] = []  # each name, then its canonical name where the name is no unit's

    def lookup(name: str) -> list[str]:
        tried.append(name)
        return q.unit_ids(name)

    try:
        for name in names:
            with contextlib.suppress(UnknownUnit):
                with_aliases(lookup, name)
    except ZhenkgError:
        return Questions(store)
    if len(tried) == len(names):
        return q
    return Questions.part(store, part, *dict.fromkeys(tried))


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
    # first with the collector off; a question also sets collect=False (:func:`run`)
    p.set_defaults(func=cmd_extract, imports=("ingest.pipeline",))

    p = sub.add_parser("ingest", help="merge documents (files or folders) into the store")
    p.add_argument(
        "files", nargs="+", help="documents, or folders walked for .txt .docx .pdf .html .htm"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _common(p, json_flag=False)
    p.set_defaults(func=cmd_ingest, imports=("api.ingest_cmd",))

    for extend in EXTENSIONS:
        if isinstance(extend, str):
            importlib.import_module(extend).register(sub)
        else:
            extend(sub)
    return parser


# Command families (questions, chains, server, stores) register here without touching the above:
# a module name (imported when the parser is built: its ``register(sub)``) or a callable.
EXTENSIONS: list[Callable[[Any], None] | str] = [
    "api.cli_questions",
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

    A question (a command whose parser sets ``collect=False``: it reads the graph — a part of
    it or the whole — and prints or writes its answer, perhaps keeping it in the store file
    for the next process, then exits) runs with the collector off altogether: what it builds
    (the graph, the indexes, the rows) lives until it answers and holds no cycles to collect,
    and the collections its allocations set off walked all of it for nothing (the first
    ``tasks --unit`` of a name every county uses, on the province store, 1.43 -> 1.14 s of
    CPU). A command that writes the graph, or serves, keeps collecting.
    """
    gc.disable()
    args = None
    try:
        args = build_parser().parse_args()
        for module in getattr(args, "imports", ()):
            importlib.import_module(module)
    finally:
        gc.freeze()
        if getattr(args, "collect", True):
            gc.enable()
    status = _command(args)
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
