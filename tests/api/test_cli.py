"""The command line on the sample: answers, and bad input leaving the store unchanged."""

from __future__ import annotations

import importlib.util
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from api import cli
from api.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "zezhou-2023-17.txt"
GOLD = json.loads((ROOT / "tests" / "data" / "zezhou-2023-17.gold.json").read_text("utf-8"))


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    assert main(["ingest", str(SAMPLE), "--db", str(path)]) == 0
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_extract_prints_the_record(capsys: pytest.CaptureFixture[str]) -> None:
    record = _json(capsys, ["extract", str(SAMPLE)])
    assert isinstance(record, dict)
    assert record["document"]["doc_number"] == "泽政办发〔2023〕17号"
    assert [t["title"] for t in record["tasks"]] == [t["title"] for t in GOLD["tasks"]]


def test_coverage_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = _json(capsys, ["coverage", "--json", "--db", str(db)])
    assert isinstance(answer, dict)
    assert (
        answer["task_units_without_group_member"]
        == GOLD["answers"]["task_units_without_group_member"]
    )
    without_task = set(answer["group_units_without_task"])
    assert set(GOLD["answers"]["group_units_without_task_must_include"]) <= without_task
    assert not set(GOLD["answers"]["group_units_without_task_must_exclude"]) & without_task


def test_units_json_equals_gold_counts(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = _json(capsys, ["units", "--json", "--db", str(db)])
    assert isinstance(units, list) and all(u["region"] == "泽州县" for u in units)
    assert {u["name"]: u["task_count"] for u in units} == GOLD["answers"]["units_by_task_count"]


def test_who_names_heads_and_office(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = _json(capsys, ["who", "三.5", "--json", "--db", str(db)])
    assert isinstance(answer, dict)
    heads = {u["name"]: [h["name"] for h in u["heads"]] for u in answer["units"]}
    assert heads["县投资促进中心"] == ["李海兵"]
    assert heads["县工业和信息化局"] == ["刘宽利"]
    office = answer["offices"][0]
    assert office["director"]["name"] == GOLD["answers"]["office_director"]
    assert office["deputy_director"]["name"] == GOLD["answers"]["office_deputy_director"]


def test_names_in_alias_form(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = _json(capsys, ["tasks", "--unit", "县发展和改革局", "--json", "--db", str(db)])
    alias = _json(capsys, ["tasks", "--unit", "县发改委", "--json", "--db", str(db)])
    short = _json(capsys, ["tasks", "--unit", "县工信局", "--json", "--db", str(db)])
    assert full == alias and isinstance(full, list) and len(full) == 1
    assert isinstance(short, list) and len(short) == 6


def test_matrix_formats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = _json(capsys, ["matrix", "--format", "json", "--db", str(db)])
    assert isinstance(m, dict) and len(m["tasks"]) == 6 and len(m["units"]) == 16
    capsys.readouterr()
    assert main(["matrix", "--format", "csv", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff单位,")  # BOM: Excel opens it as UTF-8
    lines = out.strip().splitlines()
    assert len(lines) == 17 and lines[1].startswith("县工业和信息化局,牵头（按排序推定）,责任")


def _contents(db: Path) -> tuple[list[str], list[str]]:
    data = json.loads(db.read_bytes())
    dump = lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True)  # noqa: E731
    return sorted(map(dump, data["nodes"])), sorted(map(dump, data["edges"]))


def test_ingest_twice_changes_nothing(db: Path) -> None:
    before = _contents(db)
    assert main(["ingest", str(SAMPLE), "--db", str(db)]) == 0
    assert _contents(db) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("missing.txt", None),
        ("empty.txt", b""),
        ("binary.bin", b"\x00\x01\x02\xff" * 100),
    ],
)
def test_bad_input_one_line_error_and_store_unchanged(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes | None
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["ingest", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and name in err and err.startswith("zhenkg: error:")
    assert db.read_bytes() == before
    assert main(["extract", str(path)]) == 1


def test_document_without_tasks_goes_in_with_a_warning(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notasks.txt"
    path.write_text("关于召开会议的通知\n\n请准时参加。\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["extract", str(path)]) == 0
    assert (
        capsys.readouterr().err
        == "zhenkg: 提示：notasks.txt: 未找到任务或领导小组（no tasks or group found）\n"
    )
    assert main(["ingest", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert "已导入 notasks.txt" in out.out and "Document 2 (+1)" in out.out
    assert out.err == "zhenkg: 提示：notasks.txt: 未找到任务或领导小组（no tasks or group found）\n"


def test_unknown_unit_is_one_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["tasks", "--unit", "县不存在局", "--db", str(db)]) == 1
    assert "县不存在局" in capsys.readouterr().err


def test_store_takes_a_file_and_refuses_an_unknown_scheme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--store PATH`` is that file; a URI zhenkg cannot open is an error, never the default."""
    default = tmp_path / "default.db"
    monkeypatch.setenv("ZHENKG_DB", str(default))
    path = tmp_path / "given.db"
    assert main(["ingest", str(SAMPLE), "--store", str(path)]) == 0
    assert path.exists() and not default.exists()
    units = _json(capsys, ["units", "--json", "--store", str(path)])
    assert isinstance(units, list) and len(units) == len(GOLD["answers"]["units_by_task_count"])

    assert main(["units", "--store", "bolt+x://localhost:7687"]) == 1
    assert "unknown store scheme 'bolt+x'" in capsys.readouterr().err
    assert not default.exists()


def test_the_modules_a_command_names_for_start_up_are_the_ones_it_imports() -> None:
    """:func:`api.cli.run` imports a command's ``imports`` before it runs: each names a module,
    and the command's own lazy import is among them (else start-up pays the collector for it)."""
    parser = build_parser()
    named = {
        command: parser.parse_args([command, "x"]).imports for command in ("extract", "ingest")
    }
    assert named == {"extract": ("ingest.pipeline",), "ingest": ("api.ingest_cmd",)}
    for command, modules in named.items():
        handler = getattr(cli, f"cmd_{command}")
        source = inspect.getsource(handler)
        assert all(f"from {m} import" in source for m in modules), command
        assert all(importlib.util.find_spec(m) is not None for m in modules)


def test_console_script_exits_with_the_commands_status(tmp_path: Path) -> None:
    """``zhenkg`` (``api.cli:run``) exits as :func:`main` returns, after freezing the heap."""
    missing = tmp_path / "missing.txt"
    run = [sys.executable, "-c", "from api.cli import run; run()"]
    done = subprocess.run([*run, "extract", str(missing)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1 and str(missing) in done.stderr
    done = subprocess.run([*run, "extract", str(SAMPLE)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and json.loads(done.stdout)["document"]["region"] == "泽州县"


def test_questions_run_without_the_collector_and_writers_with_it(tmp_path: Path) -> None:
    """The console script runs a question (``collect=False``) with the cyclic collector off,
    and a command that writes or serves with it on; ``--help`` exits as before."""
    parser = build_parser()
    db = str(tmp_path / "g.db")
    questions = [["tasks"], ["units"], ["coverage"], ["who", "x"], ["gaps", "x"], ["load", "x"]]
    for args in questions:
        assert parser.parse_args([*args, "--db", db]).collect is False, args
    for args in (
        ["ingest", "x"],
        ["serve"],
        ["remove", "x"],
        ["firms", "import", "x", "--region", "y"],
    ):
        assert getattr(parser.parse_args(args), "collect", True) is True, args
    probe = (
        "import atexit, gc, sys; atexit.register(lambda: print('collecting', gc.isenabled())); "
        "sys.argv = ['zhenkg', *sys.argv[1:]]; from api.cli import run; run()"
    )
    for args, expected in ((["units", "--db", db], False), (["extract", str(tmp_path)], True)):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT
        )
        assert f"collecting {expected}" in done.stdout, (args, done.stdout, done.stderr)
    done = subprocess.run(
        [sys.executable, "-c", probe, "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0 and "usage: zhenkg" in done.stdout


def test_gaps_says_when_a_chain_has_none_and_sums_up_many_registers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four invented registers (no real firm), each with a firm on every hawthorn link: no link is
    missing or thin at ``--thin-below 4``; the basis names three registers and sums up all."""
    from ingest.load import chains

    db = tmp_path / "store.db"
    assert main(["ingest", str(SAMPLE), "--db", str(db)]) == 0
    links = [n.id for n in chains()["hawthorn"].nodes]
    for k in range(4):
        register = tmp_path / f"r{k}.csv"
        rows = [
            f"测试{k}号{i}企业,泽州山楂红酒,泽州县,hawthorn:{link}" for i, link in enumerate(links)
        ]
        register.write_text("name,town,region,node\n" + "\n".join(rows) + "\n", "utf-8")
        assert main(["firms", "import", str(register), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["gaps", "hawthorn", "--thin-below", "4", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("山楂红酒产业链 · 全部企业  chain:hawthorn\n")
    assert f"r0.csv、r1.csv、r2.csv 等 4 个名录，共 {4 * len(links)} 家企业" in out
    assert "这一链条没有缺口：每个环节都有至少 4 家企业。" in out
    assert main(["gaps", "hawthorn", "--thin-below", "5", "--db", str(db)]) == 0  # 4 each
    assert "强链" in capsys.readouterr().out


def test_coverage_of_several_regions_says_it_merges_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.multidoc import YANGCHENG

    db = str(tmp_path / "store.db")
    assert main(["ingest", str(SAMPLE), str(YANGCHENG), "--db", db]) == 0
    capsys.readouterr()
    for _ in range(2):  # computed, then kept for the next process
        assert main(["coverage", "--db", db]) == 0
        assert "库中有 2 个地区的单位，以上按单位名称合并列出" in capsys.readouterr().out
    assert main(["coverage", "--region", "泽州县", "--db", db]) == 0
    assert "地区的单位" not in capsys.readouterr().out
    assert main(["coverage", "--json", "--db", db]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {
        "task_units_without_group_member",
        "group_units_without_task",
    }


def test_tasks_of_several_documents_name_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.multidoc import YANGCHENG

    db = str(tmp_path / "store.db")
    assert main(["ingest", str(SAMPLE), "--db", db]) == 0
    capsys.readouterr()
    assert main(["tasks", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("任务 ")  # one document: no column for it
    assert main(["ingest", str(YANGCHENG), "--db", db]) == 0
    capsys.readouterr()
    assert main(["tasks", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("文件 ")
    assert any(line.startswith("泽州县促进专业镇高质量发展实施方案") for line in lines[2:])
