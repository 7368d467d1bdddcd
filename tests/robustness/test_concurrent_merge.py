"""Merges racing in separate processes on one embedded store file (SQLite and JSON).

A merge reads the stored documents (versions, citations, placeholders) and writes what
follows from them in one transaction, so a second process merging at the same time waits and
sees the first one's document:

- two edits of one plan ingested at once after the original give versions 1, 2 and 3;
- a citation lands on the cited document whichever of the two goes in first;
- on SQLite, a writer killed inside its transaction leaves the store as it was, and readers
  are answered while a writer holds the store.

The races are made certain, not left to timing: the first process stops inside its
transaction (after it read the store) until the test has started the second one.
"""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.merge import load_document, placeholder_id
from graph.sqlite_store import SqliteStore
from graph.store import open_embedded
from ingest.load import document_fragment
from ingest.pipeline import extract_file
from tests.multidoc import JINCHENG, SAMPLE, YANGCHENG, ZEZHOU_DOC, edited_sample, store_file
from tests.robustness.conftest import REPO

YANGCHENG_DOC = "doc:阳城县:阳政办发〔2023〕21号"
JINCHENG_DOC = "doc:晋城市:晋市政办发〔2023〕5号"
CITY = "晋市政办发〔2023〕5号"

# A process merging one extracted plan as `zhenkg ingest` does. With `hold` it stops at a point
# inside its transaction and says so, until the file `go` exists: "merge" after it has read
# the store and merged (before writing), "write" after it has written the rows (before commit).
MERGER = r"""
import pickle, sys, time
from pathlib import Path
import graph.merge as merge
import graph.sqlite_store as sqlite_store
from graph.store import open_embedded

db, job, hold, go = sys.argv[1:5]
record, fragment = pickle.loads(Path(job).read_bytes())


def held(real):
    def call(*args, **kwargs):
        out = real(*args, **kwargs)
        print("HOLDING", flush=True)
        while not Path(go).exists():
            time.sleep(0.01)
        return out
    return call


if hold == "merge":
    merge.merge_document = held(merge.merge_document)
elif hold == "write":
    sqlite_store.put_edges = held(sqlite_store.put_edges)
store = open_embedded(Path(db))
print("STARTED", flush=True)
merged = merge.load_document(store, record, fragment)
print("DONE", merged.status, merged.version, flush=True)
"""


def job(folder: Path, path: Path) -> Path:
    """The plan at ``path`` extracted and pickled with its fragment, for a merger process."""
    record = extract_file(path)
    out = folder / f"{path.stem}.pickle"
    out.write_bytes(pickle.dumps((record, document_fragment(record))))
    return out


def merger(db: Path, work: Path, hold: str = "-", go: str = "-") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", MERGER, str(db), str(work), hold, go],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def expect(process: subprocess.Popen[str], marker: str, timeout: float = 120.0) -> str:
    """The first output line starting with ``marker``."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            err = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"the merger ended before {marker!r}: {err[-2000:]}")
        if line.startswith(marker):
            return line.strip()
    raise AssertionError(f"no {marker!r} within {timeout} s")


def finish(process: subprocess.Popen[str]) -> str:
    """The merger's ``DONE`` line, after it ended cleanly."""
    line = expect(process, "DONE")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-2000:]
    return line


def race(db: Path, first: Path, second: Path, go: Path) -> tuple[str, str]:
    """``first`` stops inside its transaction; ``second`` starts then; both finish."""
    a = merger(db, first, "merge", str(go))
    expect(a, "HOLDING")
    b = merger(db, second)
    expect(b, "STARTED")
    time.sleep(0.3)  # give the second every chance to read the store too early
    go.touch()
    return finish(a), finish(b)


@pytest.fixture(params=["sqlite", "json"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_two_edits_at_once_give_versions_one_two_three(tmp_path: Path, kind: str) -> None:
    db = store_file(kind, tmp_path)
    load_document(open_embedded(db), extract_file(SAMPLE), document_fragment(extract_file(SAMPLE)))
    first = edited_sample(tmp_path, "edit-a.txt")
    second = tmp_path / "edit-b.txt"
    second.write_text(SAMPLE.read_text("utf-8").replace("县教育局", "县体育局", 1), "utf-8")
    done = race(db, job(tmp_path, first), job(tmp_path, second), tmp_path / "go")
    assert done == ("DONE updated 2", "DONE updated 3")
    versions = open_embedded(db).read_graph().nodes[ZEZHOU_DOC]["versions"]
    assert [(v["version"], v["source"]) for v in versions] == [
        (1, SAMPLE.name),
        (2, "edit-a.txt"),
        (3, "edit-b.txt"),
    ]


@pytest.mark.parametrize("cited_first", [True, False], ids=["cited-first", "citer-first"])
def test_a_citation_lands_on_the_stored_document_in_either_order(
    tmp_path: Path, kind: str, cited_first: bool
) -> None:
    db = store_file(kind, tmp_path)
    cited, citer = job(tmp_path, JINCHENG), job(tmp_path, YANGCHENG)
    first, second = (cited, citer) if cited_first else (citer, cited)
    race(db, first, second, tmp_path / "go")
    G = open_embedded(db).read_graph()
    cites = {v for _, v, d in G.out_edges(YANGCHENG_DOC, data=True) if d["type"] == "CITES"}
    assert JINCHENG_DOC in cites
    assert not G.has_node(placeholder_id(CITY))


def test_two_ingest_commands_at_once_give_versions_one_two_three(tmp_path: Path) -> None:
    """The same through ``zhenkg ingest``, started together (no stop inside: a plain race)."""
    db = tmp_path / "graph.db"
    zhenkg = str(Path(sys.executable).with_name("zhenkg"))
    subprocess.run([zhenkg, "ingest", str(SAMPLE), "--db", str(db)], check=True, cwd=REPO)
    edits = [edited_sample(tmp_path, "edit-a.txt"), tmp_path / "edit-b.txt"]
    edits[1].write_text(SAMPLE.read_text("utf-8").replace("县教育局", "县体育局", 1), "utf-8")
    runs = [
        subprocess.Popen(
            [zhenkg, "ingest", str(path), "--db", str(db)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in edits
    ]
    said = []
    for process in runs:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        said.append(out)
    assert sorted("第 2 版" in s for s in said) == [False, True]
    assert sorted("第 3 版" in s for s in said) == [False, True]
    versions = open_embedded(db).read_graph().nodes[ZEZHOU_DOC]["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert {v["source"] for v in versions[1:]} == {"edit-a.txt", "edit-b.txt"}


# -- SQLite: killed writers and readers during a write ----------------------------------------
def test_a_writer_killed_inside_its_transaction_leaves_the_store_intact(tmp_path: Path) -> None:
    db = tmp_path / "graph.db"
    load_document(SqliteStore(db), extract_file(SAMPLE))
    store = SqliteStore(db)
    before, generation = store.counts(), store.generation()
    graph = store.read_graph()
    process = merger(db, job(tmp_path, YANGCHENG), "write", str(tmp_path / "never"))
    try:
        expect(process, "HOLDING")  # its rows are written, not committed
        # readers are answered meanwhile, without waiting for the writer
        reader = SqliteStore(db, lock_timeout=0.01)
        assert reader.counts() == before
        assert reader.read_graph().number_of_nodes() == graph.number_of_nodes()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    after = SqliteStore(db, lock_timeout=5)
    assert after.counts() == before and after.generation() == generation
    assert sorted(after.read_graph().nodes) == sorted(graph.nodes)
    # the lock died with the writer: the next write goes through
    load_document(after, extract_file(YANGCHENG))
    assert YANGCHENG_DOC in after.read_graph()


def test_readers_see_the_last_commit_while_a_writer_holds_the_store(tmp_path: Path) -> None:
    db = tmp_path / "graph.db"
    process = merger(db, job(tmp_path, SAMPLE), "merge", str(tmp_path / "go"))
    try:
        expect(process, "HOLDING")  # the writer holds the store (BEGIN IMMEDIATE)
        reader = SqliteStore(db, lock_timeout=0.01)
        assert reader.counts() == {"edges": 0}
        assert ZEZHOU_DOC not in reader.read_graph()
        (tmp_path / "go").touch()
        assert finish(process) == "DONE new 1"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert ZEZHOU_DOC in reader.read_graph()  # the next read sees the commit
    assert reader.counts()["Task"] == 6
