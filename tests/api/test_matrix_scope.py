"""The matrix of a store of several documents: narrowed by region or document in the CLI, the
API and the page, one table a document on the CLI, paged in the API, and offered one document
at a time on the page when it is too wide for one table (a province's is millions of cells)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import pages
from api.app import create_app
from api.cli import main
from api.settings import Settings
from graph.sqlite_store import SqliteStore
from graph.store import GraphStore
from tests.multidoc import GAOPING, JINCHENG, SAMPLE, YANGCHENG, ingest

NUMBERS = {
    "泽州县": "泽政办发〔2023〕17号",
    "阳城县": "阳政办发〔2023〕21号",
    "高平市": "高政办发〔2023〕35号",
}


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file holding the plans of three counties."""
    db = tmp_path_factory.mktemp("three") / "graph.db"
    store = SqliteStore(db)
    ingest(store, SAMPLE, YANGCHENG, GAOPING)
    store.close()
    return db


@pytest.fixture
def client(three: Path) -> Iterator[TestClient]:
    store = SqliteStore(three)
    with TestClient(create_app(store, Settings())) as c:
        yield c
    store.close()


def _out(capsys: pytest.CaptureFixture[str], args: list[str], db: Path) -> str:
    assert main([*args, "--db", str(db)]) == 0
    return capsys.readouterr().out


def test_cli_table_is_one_table_a_document(three: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _out(capsys, ["matrix"], three)
    blocks = re.split(r"^【(.+)】\n", out, flags=re.M)[1:]
    headings, tables = blocks[0::2], blocks[1::2]
    assert [h.rsplit("（", 1)[1].rstrip("）") for h in headings] == [
        NUMBERS["泽州县"],
        NUMBERS["阳城县"],
        NUMBERS["高平市"],
    ]
    for heading, table in zip(headings, tables, strict=True):
        number = heading.rsplit("（", 1)[1].rstrip("）")
        # each table is that document's own matrix, as --document prints it
        alone = _out(capsys, ["matrix", "--document", number], three)
        assert table.strip() == alone.strip()
        assert "【" not in alone


def test_cli_region_and_document_narrow_every_format(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = json.loads(_out(capsys, ["matrix", "--json"], three))
    by_region = json.loads(_out(capsys, ["matrix", "--json", "--region", "阳城县"], three))
    by_number = json.loads(
        _out(capsys, ["matrix", "--json", "--document", NUMBERS["阳城县"]], three)
    )
    assert by_region == by_number
    ids = {t["id"] for t in by_region["tasks"]}
    assert ids and all(NUMBERS["阳城县"] in t for t in ids)
    assert ids == {t["id"] for t in whole["tasks"] if NUMBERS["阳城县"] in t["id"]}
    # the units on them, each with its cells there and only there
    expected = [
        {
            "id": u["id"],
            "name": u["name"],
            "cells": {t: r for t, r in u["cells"].items() if t in ids},
        }
        for u in whole["units"]
        if ids & set(u["cells"])
    ]
    assert by_region["units"] == expected
    csv = _out(capsys, ["matrix", "--format", "csv", "--region", "阳城县"], three)
    assert len(csv.splitlines()[0].split(",")) == 1 + len(ids)
    table = _out(capsys, ["matrix", "--region", "阳城县"], three)
    assert "【" not in table and len(table.splitlines()) > len(expected)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--region", "无此县"], "无此县"),
        (["--document", "无此文〔2023〕1号"], "无此文〔2023〕1号"),
    ],
)
def test_unknown_region_or_document_is_an_error_naming_it(
    three: Path, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    assert main(["matrix", *args, "--db", str(three)]) == 1
    captured = capsys.readouterr()
    assert named in captured.err and not captured.out


def test_the_supervision_workbook_takes_no_filter(
    three: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.xlsx"
    args = ["matrix", "--format", "xlsx", "--out", str(out), "--region", "阳城县"]
    assert main([*args, "--db", str(three)]) == 1
    assert "--region" in capsys.readouterr().err and not out.exists()


def test_api_matrix_filters_and_pages(client: TestClient) -> None:
    whole = client.get("/matrix")
    region = client.get("/matrix", params={"region": "高平市"})
    assert whole.headers["X-Total-Count"] == str(len(whole.json()["units"]))
    units = region.json()["units"]
    assert region.headers["X-Total-Count"] == str(len(units)) and len(units) > 3
    assert {t["id"].split(":")[2] for t in region.json()["tasks"]} == {NUMBERS["高平市"]}
    page = client.get("/matrix", params={"region": "高平市", "offset": 1, "limit": 2})
    assert page.json()["units"] == units[1:3] and page.headers["X-Total-Count"] == str(len(units))
    by_doc = client.get("/matrix", params={"document": NUMBERS["高平市"], "format": "csv"})
    assert by_doc.status_code == 200 and by_doc.headers["X-Total-Count"] == str(len(units))
    missing = client.get("/matrix", params={"document": "无此文"})
    assert missing.status_code == 404 and "无此文" in missing.text


def test_page_narrows_and_offers_documents_when_too_wide(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = client.get("/pages/matrix").text
    assert 'id="matrix-filters"' in html and 'id="matrix-wide"' not in html
    assert all(n in html for n in NUMBERS.values())
    narrowed = client.get("/pages/matrix", params={"region": "泽州县"}).text
    assert "format=csv&amp;region=" in narrowed  # the downloads keep the filter
    assert narrowed.count('<td class="cell') < html.count('<td class="cell')

    monkeypatch.setattr(pages, "MATRIX_COLUMNS", 10)
    wide = client.get("/pages/matrix").text
    assert 'id="matrix-wide"' in wide and '<td class="cell' not in wide
    links = re.findall(r'<td><a href="\?document=([^"]+)">', wide)
    assert len(links) == 3
    one = client.get(f"/pages/matrix?document={links[0]}").text
    assert 'id="matrix-wide"' not in one and '<td class="cell' in one


# -- every store answers alike ----------------------------------------------------------------
FOUR = (SAMPLE, YANGCHENG, GAOPING, JINCHENG)  # four regions; Yangcheng's plan cites one more
PLACEHOLDER = "晋政办发〔2022〕80号"  # the cited document: a node without tasks or region
REFS = [
    "doc:阳城县:阳政办发〔2023〕21号",  # id
    "高平市:高政办发〔2023〕35号",  # key
    NUMBERS["泽州县"],  # number
    "晋城市促进专业镇高质量发展实施方案",  # title
    "gaoping-2023-35.txt",  # file name
    PLACEHOLDER,
]
SCOPES: list[dict[str, str | int]] = [
    {},
    *({"region": r} for r in ("泽州县", "阳城县", "高平市", "晋城市")),
    *({"document": d} for d in REFS),
    {"region": "阳城县", "document": NUMBERS["阳城县"]},
    {"region": "阳城县", "document": NUMBERS["泽州县"]},  # both known, nothing in common
    {"offset": 2, "limit": 3},
    {"region": "泽州县", "offset": 1, "limit": 2},
    {"document": NUMBERS["高平市"], "offset": 4},
    {"region": "晋城市", "offset": 1000, "limit": 5},
]
UNKNOWN = [{"region": "无此县"}, {"document": "无此文"}, {"region": "无此县", "document": "无此文"}]


def _cli_where(store: GraphStore) -> list[str] | None:
    """How the CLI reaches ``store``: ``--db`` for a SQLite file, ``--store`` for a server."""
    if isinstance(store, SqliteStore):
        return ["--db", str(store.path)]
    target = getattr(store, "target", None)
    return ["--store", target] if isinstance(target, str) else None


def test_narrowed_and_paged_matrix_alike_on_every_store(
    store: GraphStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Region, document (by id, key, number, title, file name) and paging give on networkx,
    SQLite and the Cypher servers what they give on SQLite: the JSON with its total, the CSV
    with its leads, the page with its selects, the CLI's table; unknown names the same 404."""
    reference = SqliteStore(tmp_path / "reference.db")
    for s in (store, reference):
        ingest(s, *FOUR)
    ours = TestClient(create_app(store, Settings()))
    theirs = TestClient(create_app(reference, Settings()))
    for params in SCOPES + UNKNOWN:
        for fmt in ("json", "csv"):
            got, want = (c.get("/matrix", params={**params, "format": fmt}) for c in (ours, theirs))
            assert got.status_code == want.status_code, (params, got.text[:300])
            assert got.headers.get("X-Total-Count") == want.headers.get("X-Total-Count"), params
            assert got.content == want.content, (params, fmt)
        if "offset" not in params:
            page = {k: str(v) for k, v in params.items()}
            got, want = (c.get("/pages/matrix", params=page) for c in (ours, theirs))
            assert (got.status_code, got.text) == (want.status_code, want.text), params
    assert ours.get("/matrix", params={"region": "无此县"}).status_code == 404
    monkeypatch.setattr(pages, "MATRIX_COLUMNS", 3)  # the whole matrix offered by document
    wide = [c.get("/pages/matrix").text for c in (ours, theirs)]
    assert 'id="matrix-wide"' in wide[1] and wide[0] == wide[1]

    where = _cli_where(store)
    if where is None:
        return  # an in-memory store: no command line reaches it
    for args in (["--region", "阳城县"], ["--document", NUMBERS["高平市"]], []):
        for fmt in (["--json"], ["--format", "csv"], []):
            expected = _out(capsys, ["matrix", *fmt, *args], reference.path)
            assert main(["matrix", *fmt, *args, *where]) == 0
            assert capsys.readouterr().out == expected, (args, fmt)
    for params in UNKNOWN:
        args = [a for k, v in params.items() for a in (f"--{k}", str(v))]
        assert main(["matrix", *args, *where]) == 1
        assert str(next(iter(params.values()))) in capsys.readouterr().err
