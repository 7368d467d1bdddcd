"""Start-up: query commands import neither the ingest pipeline nor openpyxl nor the web server.

Each check runs the CLI in a fresh interpreter (``from api.cli import main``, as the console
script does) and lists the heavy packages it imported: spaCy and what it brings (thinc, numpy),
the format readers (pypdf, BeautifulSoup, lxml, python-docx), openpyxl, and FastAPI and its
server. Untimed: what is proven is what gets imported, not how long it takes
(``python -m bench.commands`` measures that).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from api.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"
PIPELINE = ("spacy", "thinc", "numpy", "pypdf", "bs4", "lxml", "docx", "openpyxl")
SERVER = ("fastapi", "starlette", "uvicorn")

# Runs each command line of argv[1] in turn; prints, per command, the watched packages
# (argv[2]) it imported that were not imported before it (the first command is charged with
# what importing the CLI imported), and its exit status.
RUN = """
import contextlib, io, json, sys
watched = set(json.loads(sys.argv[2]))
def loaded():
    return {m for m in sys.modules if m.split(".")[0] in watched}
seen, report = loaded(), []
from api.cli import main
for argv in json.loads(sys.argv[1]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    now = loaded()
    report.append({"argv": argv, "exit": code, "imported": sorted(now - seen)})
    seen = now
print(json.dumps(report))
"""


def run_cli(
    *commands: list[str], watched: tuple[str, ...] = PIPELINE + SERVER
) -> list[dict[str, Any]]:
    """Run ``commands`` one after another in one fresh interpreter; what each one imported."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(commands), json.dumps(watched)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report: list[dict[str, Any]] = json.loads(done.stdout.splitlines()[-1])
    return report


def packages(report: dict[str, Any]) -> set[str]:
    """The top-level packages among the modules a command imported."""
    return {m.split(".")[0] for m in report["imported"]}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lazy") / "store.json"
    assert main(["ingest", str(SAMPLE), "--quiet", "--db", str(path)]) == 0
    return path


def test_query_commands_import_no_pipeline_no_openpyxl_no_server(db: Path, tmp_path: Path) -> None:
    store = ["--db", str(db)]
    commands = [
        ["--help"],
        ["tasks", *store],
        ["tasks", "--unit", "县工信局", "--json", *store],  # an alias: the roster is read
        ["units", *store],
        ["units", "--json", "--full", *store],
        ["matrix", *store],
        ["matrix", "--format", "csv", *store],
        ["matrix", "--json", *store],
        ["who", "三.5", *store],
        ["coverage", "--json", *store],
        ["chains", *store],
        ["gaps", "foundry", "--top", "3", *store],
        ["load", "县工信局", *store],
        ["shared", "县工信局", "县农业农村局", *store],
        ["versions", "泽政办发〔2023〕17号", *store],
        ["diff", "泽政办发〔2023〕17号@1", "泽政办发〔2023〕17号", *store],
        ["export", "--format", "json", "--out", str(tmp_path / "graph.json"), *store],
    ]
    report = run_cli(*commands)
    assert [r["exit"] for r in report] == [0] * len(commands), report
    heavy = {" ".join(r["argv"][:2]): packages(r) for r in report if r["imported"]}
    assert heavy == {}


def test_ingest_imports_spacy_but_not_the_readers_of_other_formats(tmp_path: Path) -> None:
    report = run_cli(["ingest", str(SAMPLE), "--quiet", "--db", str(tmp_path / "store.json")])
    assert report[0]["exit"] == 0
    imported = packages(report[0])
    assert "spacy" in imported
    assert not imported & {"pypdf", "bs4", "lxml", "docx", "openpyxl", *SERVER}, imported


def test_an_ingest_into_the_sqlite_store_imports_no_graph_library_and_no_questions(
    tmp_path: Path,
) -> None:
    """Writing rows needs no graph: networkx (~0.1 s of start-up) comes with the first question
    (or a merge that must read a stored document's tasks as a graph), and so do the questions'
    answer models; the JSON store's file lock comes with the JSON store."""
    db = tmp_path / "graph.db"
    edited = tmp_path / SAMPLE.name
    edited.write_text(SAMPLE.read_text("utf-8").replace("加强", "强化", 3), "utf-8")
    ingests = [["ingest", str(path), "--quiet", "--db", str(db)] for path in (SAMPLE, edited)]
    watched = ("networkx", "filelock", "queries")
    report = run_cli(*ingests, ["tasks", "--db", str(db)], watched=watched)
    assert [r["exit"] for r in report] == [0, 0, 0]
    first, second, question = (set(r["imported"]) for r in report)
    # the answer cache's key and the lead rule the renderers apply: no model, no graph
    assert first <= {"queries", "queries.kept", "queries.lead_rule"}, first
    assert second == set()  # version 2 merged too
    assert {"networkx", "queries.service", "queries.answers"} <= question


def test_the_xlsx_sheet_imports_openpyxl(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.xlsx"
    (report,) = run_cli(["matrix", "--format", "xlsx", "--out", str(out), "--db", str(db)])
    assert report["exit"] == 0 and out.exists()
    imported = packages(report)
    assert "openpyxl" in imported
    assert not imported & {"spacy", "pypdf", "bs4", "docx"}, imported


def test_the_app_starts_without_the_pipeline() -> None:
    """``zhenkg serve`` loads spaCy and the readers on the first upload, not at start-up."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys; from api.app import create_app; "
            f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(PIPELINE)!r})))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def _imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports, at module level or inside functions."""
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("graph", {"queries", "api", "ingest"}), ("queries", {"api", "ingest"})],
)
def test_imports_flow_one_way(package: str, forbidden: set[str]) -> None:
    """graph ← queries ← api, and ingest → graph: the layers below never import the ones above."""
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) & forbidden)
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {k: v for k, v in wrong.items() if v} == {}
