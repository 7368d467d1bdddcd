"""The embedded store's file under faults: writers killed mid-write, and writers racing.

- A writer killed with SIGKILL at chosen points of a write (while the temporary file is being
  written, before its fsync, before the ``os.replace``) leaves the previous file byte for byte,
  loadable, and the lock free for the next writer.
- Writers killed at random moments of a run of large writes leave a file holding exactly the
  writes that completed (a prefix of them, each whole).
- Several processes writing into one file at once lose nothing: synthetic fragments from
  4 writers, and 4 different plans merged as ``zhenkg ingest`` merges them.
"""

from __future__ import annotations

import json
import pickle
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.networkx_store import NetworkxStore
from tests.robustness.conftest import REPO, SAMPLE

# A writer process: loads `rounds` fragments tagged `tag`, each of `size` task nodes; with a
# hook it pauses (and says so) at one point of its first write, for the test to kill it there.
WRITER = r"""
import os, sys, time
from pathlib import Path
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.schema import Label, Rel

path, tag, rounds, size, hook, go = sys.argv[1:7]
rounds, size = int(rounds), int(size)


def pause(where):
    print("PAUSED", where, flush=True)
    time.sleep(120)


if hook == "write":  # half of the payload reaches the temporary file, then the writer stops
    real_fdopen = os.fdopen

    class Half:
        def __init__(self, fh):
            self.fh = fh
        def write(self, text):
            self.fh.write(text[: len(text) // 2])
            self.fh.flush()
            pause("write")
        def __getattr__(self, name):
            return getattr(self.fh, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

    os.fdopen = lambda *a, **k: Half(real_fdopen(*a, **k))
elif hook in ("fsync", "replace"):
    real = getattr(os, hook)
    def hooked(*a, **k):
        pause(hook)
        return real(*a, **k)
    setattr(os, hook, hooked)

while go != "-" and not Path(go).exists():
    time.sleep(0.005)
store = NetworkxStore(path, lock_timeout=60)
for r in range(rounds):
    doc = f"doc:{tag}:{r}"
    f = Fragment(docs=[doc])
    f.node(doc, Label.DOCUMENT, name=doc, doc=doc)
    for i in range(size):
        task = f"task:{tag}:{r}:{i}"
        f.node(task, Label.TASK, name=f"任务{i}", title="推进专业镇高质量发展" * 4, doc=doc)
        f.edge(doc, task, Rel.CONTAINS, str(i), doc=doc)
    print("WRITING", r, flush=True)
    store.load(f)
    print("WROTE", r, flush=True)
"""


def writer(
    path: Path, tag: str, rounds: int, size: int, hook: str = "-", go: str = "-"
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag, str(rounds), str(size), hook, go],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(process: subprocess.Popen[str], marker: str, timeout: float = 60.0) -> bool:
    """Read the writer's output until a line starts with ``marker``; False if it ended first."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            return False
        if line.startswith(marker):
            return True
    raise AssertionError(f"no {marker!r} from the writer within {timeout} s")


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


def docs_of(path: Path, tag: str) -> dict[str, int]:
    """Document ids tagged ``tag`` in the file, with the number of tasks each holds."""
    data = json.loads(path.read_text("utf-8"))
    ids = [n["id"] for n in data["nodes"]]
    docs = {i: 0 for i in ids if i.startswith(f"doc:{tag}:")}
    for i in ids:
        if i.startswith(f"task:{tag}:"):
            docs[f"doc:{tag}:{i.split(':')[2]}"] += 1
    return docs


def assert_loadable(path: Path) -> NetworkxStore:
    store = NetworkxStore(path)  # raises StoreUnavailable on a torn or foreign file
    assert store.graph.number_of_nodes() > 0
    return store


# -- killed mid-write -----------------------------------------------------------------------
@pytest.mark.parametrize("hook", ["write", "fsync", "replace"])
def test_writer_killed_mid_write_leaves_the_previous_file(
    sample_file_store: NetworkxStore, hook: str
) -> None:
    path = sample_file_store.path
    assert path is not None
    before = path.read_bytes()
    counts = sample_file_store.counts()
    process = writer(path, "killed", 1, 2000, hook)
    try:
        if not wait_for(process, "PAUSED"):
            pytest.skip(f"the store no longer calls os.{hook} while writing: move the kill point")
    finally:
        kill(process)
    assert path.read_bytes() == before, f"killed at {hook}: the store file changed"
    assert assert_loadable(path).counts() == counts
    # The lock died with the writer: the next write goes through at once.
    after = NetworkxStore(path, lock_timeout=5)
    after.remove_documents(["doc:none"])
    assert after.counts() == counts


def test_writers_killed_at_random_moments_leave_whole_writes(
    sample_file_store: NetworkxStore,
) -> None:
    path = sample_file_store.path
    assert path is not None
    counts = sample_file_store.counts()
    rng = random.Random(8)
    for attempt in range(3):
        tag = f"w{attempt}"
        process = writer(path, tag, 30, 1500)
        try:
            assert wait_for(process, "WRITING")
            time.sleep(rng.uniform(0.0, 0.8))
        finally:
            kill(process)
        store = assert_loadable(path)
        docs = docs_of(path, tag)
        assert sorted(docs) == [f"doc:{tag}:{r}" for r in range(len(docs))], "not a prefix"
        assert set(docs.values()) <= {1500}, f"a torn write: {docs}"
        sample = {k: v for k, v in store.counts().items() if k not in ("Document", "Task", "edges")}
        assert sample == {k: v for k, v in counts.items() if k not in ("Document", "Task", "edges")}


# -- racing writers -------------------------------------------------------------------------
def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path, go = tmp_path / "graph.json", tmp_path / "go"
    writers = [writer(path, f"p{k}", 4, 200, go=str(go)) for k in range(4)]
    time.sleep(0.5)
    go.touch()
    for process in writers:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
    for k in range(4):
        assert docs_of(path, f"p{k}") == {f"doc:p{k}:{r}": 200 for r in range(4)}


def plan(number: int) -> str:
    text = SAMPLE.read_text("utf-8")
    return text.replace("泽政办发〔2023〕17号", f"泽政办发〔2023〕{number}号")


# An ingest process: merges one extracted plan into the store as `zhenkg ingest` does
# (graph.merge.load_document); the plan is extracted by the test, so that the processes skip
# spaCy's start-up and race on the store alone.
INGESTER = r"""
import pickle, sys, time
from pathlib import Path
from graph.networkx_store import NetworkxStore
from graph.merge import load_document

db, job, go = sys.argv[1:4]
record, fragment = pickle.loads(Path(job).read_bytes())
while not Path(go).exists():
    time.sleep(0.005)
load_document(NetworkxStore(db, lock_timeout=60), record, fragment)
"""


def test_concurrent_ingests_lose_nothing(tmp_path: Path) -> None:
    pytest.importorskip("graph.merge", reason="graph/merge.py (load_document) is not there")
    from ingest.load import document_fragment
    from ingest.pipeline import extract_file

    db, go = tmp_path / "graph.json", tmp_path / "go"
    numbers = (31, 32, 33, 34)
    runs = []
    for number in numbers:
        source = tmp_path / f"plan-{number}.txt"
        source.write_text(plan(number), "utf-8")
        record = extract_file(source)
        job = tmp_path / f"job-{number}.pickle"
        job.write_bytes(pickle.dumps((record, document_fragment(record))))
        runs.append(
            subprocess.Popen(
                [sys.executable, "-c", INGESTER, str(db), str(job), str(go)],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    time.sleep(0.5)
    go.touch()
    for process in runs:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
    graph = NetworkxStore(db).graph
    stored = {
        d.get("doc_number") for _, d in graph.nodes(data=True) if d.get("label") == "Document"
    }
    assert {f"泽政办发〔2023〕{n}号" for n in numbers} <= stored
    tasks = [n for n, d in graph.nodes(data=True) if d.get("label") == "Task"]
    assert len(tasks) == 6 * len(numbers)
