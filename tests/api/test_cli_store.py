"""``zhenkg push``, ``--store``, ``zhenkg cypher`` and ``zhenkg export`` against FalkorDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "zezhou-2023-17.txt"

pytestmark = pytest.mark.falkordb


@pytest.fixture
def pushed(tmp_path: Path, falkordb_server: tuple[str, int]) -> tuple[Path, str]:
    """An embedded store with the sample, pushed twice into a fresh FalkorDB graph."""
    db = tmp_path / "store.db"
    host, port = falkordb_server
    uri = f"falkordb://{host}:{port}/cli_{tmp_path.name[-8:]}"
    assert main(["ingest", str(SAMPLE), "--db", str(db)]) == 0
    assert main(["push", "--to", uri, "--db", str(db), "--batch-size", "10"]) == 0
    assert main(["push", "--to", uri, "--db", str(db)]) == 0
    return db, uri


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "question",
    [
        ["who", "三.5"],
        ["units", "--full"],
        ["matrix"],
        ["tasks", "--unit", "县工信局"],
        ["coverage"],
    ],
)
def test_server_answers_like_the_file(
    pushed: tuple[Path, str], capsys: pytest.CaptureFixture[str], question: list[str]
) -> None:
    db, uri = pushed
    here = _json(capsys, [*question, "--json", "--db", str(db)])
    there = _json(capsys, [*question, "--json", "--store", uri])
    assert here == there


def test_cypher_passthrough(pushed: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, uri = pushed
    rows = _json(
        capsys,
        [
            "cypher",
            "MATCH (u:Unit {name: $name}) RETURN u.id AS id",
            "--param",
            "name=县教育局",
            "--store",
            uri,
        ],
    )
    assert rows == [{"id": "unit:泽州县:县教育局"}]
    before = _json(capsys, ["cypher", "MATCH (n) RETURN count(n) AS n", "--store", uri])
    capsys.readouterr()
    assert main(["cypher", "MATCH (n) DETACH DELETE n", "--store", uri]) == 1
    assert "read-only" in capsys.readouterr().err
    assert _json(capsys, ["cypher", "MATCH (n) RETURN count(n) AS n", "--store", uri]) == before


def test_export_from_file_and_server(pushed: tuple[Path, str], tmp_path: Path) -> None:
    db, uri = pushed
    assert (
        main(["export", "--format", "json", "--out", str(tmp_path / "a.json"), "--db", str(db)])
        == 0
    )
    assert (
        main(["export", "--format", "json", "--out", str(tmp_path / "b.json"), "--store", uri]) == 0
    )
    a, b = (json.loads((tmp_path / f"{n}.json").read_text("utf-8")) for n in "ab")
    assert len(a["nodes"]) == len(b["nodes"]) and len(a["links"]) == len(b["links"])
    assert {n["id"] for n in a["nodes"]} == {n["id"] for n in b["nodes"]}
