"""The SQLite store's parts (``SqliteStore.read_part``, ``part_at``): each question answers on its part
exactly as on the whole graph, for units by name, id, surface and alias, in several regions."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main
from api.names import with_aliases
from graph.errors import UnknownTask, UnknownUnit
from graph.schema import Label
from graph.sqlite_file import SURFACE_LOOKUP
from graph.sqlite_store import SqliteStore
from queries import responsibility as resp
from queries.service import Questions
from tests.multidoc import GAOPING, JINCHENG, SAMPLE, YANGCHENG, ingest


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SqliteStore:
    """Four plans of four regions in one SQLite file."""
    s = SqliteStore(tmp_path_factory.mktemp("parts") / "graph.db")
    ingest(s, SAMPLE, YANGCHENG, GAOPING, JINCHENG)
    return s


def _names(store: SqliteStore) -> list[str]:
    """Every unit's name and id, and every surface a document wrote a unit as."""
    G = store.read_graph()
    out: dict[str, None] = {}
    for u in resp.nodes_of(G, Label.UNIT):
        out[G.nodes[u]["name"]] = None
        out[u] = None
        for _, _, d in G.out_edges(u, data=True):
            if d.get("surface"):
                out[d["surface"]] = None
    return list(out)


def _tasks_of(q: Questions, name: str) -> list[str]:
    ids = with_aliases(q.unit_ids, name)
    return [r.model_dump_json() for u in ids for r in q.tasks(u)]


def test_every_unit_name_gives_the_whole_graphs_tasks(store: SqliteStore) -> None:
    whole = Questions(store)
    names = _names(store)
    regions = {store.read_graph().nodes[u].get("region") for u in whole.unit_ids("县发展和改革局")}
    assert len(regions) >= 2  # one name, units in several regions
    for name in names:
        part = Questions.part(store, "units", name)
        assert part.graph.number_of_nodes() < whole.graph.number_of_nodes()
        assert part.unit_ids(name) == whole.unit_ids(name), name
        assert _tasks_of(part, name) == _tasks_of(whole, name), name


def test_unit_roles_part_has_the_tasks_and_roles_without_heads(store: SqliteStore) -> None:
    """The part behind the ``tasks --unit`` table: every task and every unit's role on it as
    on the whole graph, and none of the posts the heads come from."""
    whole = Questions(store)
    headed = read_documents = 0
    for name in _names(store):
        part = Questions.part(store, "unit_roles", name)
        assert not any(d.get("type") == "HOLDS" for *_, d in part.graph.edges(data=True))
        documents = [d for _, d in part.graph.nodes(data=True) if d["label"] == "Document"]
        assert not any("versions" in d for d in documents)  # BRIEF_DOCUMENT
        read_documents += len(documents)
        assert part.unit_ids(name) == whole.unit_ids(name), name
        rows = [r for u in with_aliases(whole.unit_ids, name) for r in whole.tasks(u)]
        headed += sum(1 for r in rows for u in r.units if u.heads)
        expected = [
            r.model_copy(update={"units": [u.model_copy(update={"heads": []}) for u in r.units]})
            for r in rows
        ]
        assert [
            r.model_dump_json() for u in with_aliases(part.unit_ids, name) for r in part.tasks(u)
        ] == [r.model_dump_json() for r in expected], name
    assert headed  # the whole graph's rows have heads, which this part leaves out
    assert read_documents and any(d.get("versions") for _, d in whole.graph.nodes(data=True))


def test_a_store_without_the_surface_index_is_read_alike_and_gets_it_at_its_next_write(
    tmp_path: Path,
) -> None:
    """A store written before ``edges_surface`` finds units by surface by reading the edges;
    its next write adds the index, and the planner uses it."""
    s = SqliteStore(tmp_path / "old.db")
    ingest(s, SAMPLE, YANGCHENG)
    conn = s._connect()
    names = _names(s)
    before = {n: _tasks_of(Questions.part(s, "units", n), n) for n in names}
    conn.execute("DROP INDEX edges_surface")
    assert {n: _tasks_of(Questions.part(s, "units", n), n) for n in names} == before
    ingest(s, GAOPING)
    plan = conn.execute(f"EXPLAIN QUERY PLAN {SURFACE_LOOKUP}", ("县工信局",)).fetchall()
    assert "edges_surface" in str(plan)


@pytest.mark.parametrize(
    "args",
    [
        ["tasks", "--unit", "县工信局", "--json"],
        ["tasks", "--unit", "县发改局"],
        ["tasks", "--unit", "县工信局"],
        ["tasks", "--unit", "县发展和改革局"],
        ["tasks", "--unit", "县农业局", "--json"],
        ["tasks", "--unit", "市工信局", "--json"],
        ["tasks", "--unit", "县住建局"],  # names no unit of these plans: the same error
        ["tasks", "--unit", "县发展和改革局", "--region", "泽州县", "--json"],
        ["coverage", "--json"],
        ["coverage"],
        ["who", "三（一）", "--json"],
        ["who", "三.1"],
        ["who", "没有的任务"],
    ],
)
def test_the_cli_prints_alike(
    store: SqliteStore,
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A command prints on a part what it prints on the whole graph (answers kept by the
    store for the next process are not used here: ``tests/queries/test_kept.py``)."""
    assert store.path is not None
    monkeypatch.setattr(SqliteStore, "stored_answer", lambda self, key: (0, None))
    monkeypatch.setattr(SqliteStore, "keep_answer", lambda *_: False)
    outputs = []
    for whole in (False, True):
        if whole:
            monkeypatch.setattr(SqliteStore, "part_at", lambda *_: None)
        code = main([*args, "--db", str(store.path)])
        captured = capsys.readouterr()
        outputs.append((code, captured.out, captured.err))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].strip() not in ("", "[]") or "县住建局" in args or "没有的任务" in args


def test_unknown_unit_is_refused_alike(store: SqliteStore) -> None:
    with pytest.raises(UnknownUnit):
        with_aliases(Questions.part(store, "units", "没有这个局").unit_ids, "没有这个局")


def test_coverage_alike(store: SqliteStore) -> None:
    whole, part = Questions(store), Questions.part(store, "coverage")
    assert part.graph.number_of_nodes() < whole.graph.number_of_nodes()
    regions = {u.region for u in whole.units()}
    assert len(regions) >= 3
    for region in [None, *sorted(r for r in regions if r)]:
        assert part.coverage(region) == whole.coverage(region), region


def test_who_alike(store: SqliteStore) -> None:
    whole = Questions(store)
    G = whole.graph
    refs: list[str] = ["三（一）", "三.1", "产业", "没有的任务", ""]
    for t in resp.nodes_of(G, Label.TASK):
        d = G.nodes[t]
        refs += [t, str(d.get("local_id")), str(d.get("full_number")), d.get("title", "")[:6]]
    for ref in dict.fromkeys(refs):
        part = Questions.part(store, "who", ref)
        try:
            expected = whole.who(ref).model_dump_json()
        except UnknownTask as exc:
            with pytest.raises(UnknownTask) as got:
                part.who(ref)
            assert str(got.value) == str(exc)
            continue
        assert part.who(ref).model_dump_json() == expected, ref


def test_other_stores_read_the_whole_graph(tmp_path: Path) -> None:
    from graph.networkx_store import NetworkxStore

    json_store = NetworkxStore(None)
    ingest(json_store, SAMPLE)
    assert Questions.part(json_store, "coverage")._snapshot is None
    empty = SqliteStore(tmp_path / "empty.db")
    assert Questions.part(empty, "units", "县发展和改革局")._snapshot is None
    assert Questions.part(empty, "nothing")._snapshot is None


def _printed(
    store: SqliteStore, args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = main([*args, "--db", str(store.path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_load_and_shared_on_their_parts_print_as_on_the_whole_graph(
    store: SqliteStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load`` and ``shared`` read the named units' part (and the groups their people sit
    in): for every name, an alias, a region and names of no unit, what they print is what the
    whole graph gives."""
    names = [*_names(store), "县工信局", "没有的局"]
    commands = [["load", n, "--json"] for n in names]
    commands += [["load", "县发改局", "--region", "阳城县"], ["load", "县发改局", "--region", "无"]]
    commands += [["shared", n, "县发展和改革局"] for n in names[:40]]
    commands += [["shared", "县工信局", "县发改局", "--json"], ["shared", "县工信局", "没有的局"]]
    read: list[str] = []
    real = SqliteStore.part_at

    def part_at(self: SqliteStore, question: str, ref: tuple[str, ...] = ()) -> object:
        read.append(question)
        return real(self, question, ref)

    monkeypatch.setattr(SqliteStore, "part_at", part_at)
    parts = [_printed(store, args, capsys) for args in commands]
    assert {"load", "units"} <= set(read)
    monkeypatch.setattr(SqliteStore, "part_at", lambda *_: None)
    whole = [_printed(store, args, capsys) for args in commands]
    for args, on_part, on_whole in zip(commands, parts, whole, strict=True):
        assert on_part == on_whole, args
    assert sum(1 for code, *_ in parts if code == 0) > len(commands) // 2
    assert any(code != 0 for code, *_ in parts)  # the names of no unit: the same error


def test_search_on_its_part_prints_as_on_the_whole_graph(
    store: SqliteStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``search`` reads the nodes holding the text or the full names it is short for: what it
    prints is what the whole graph gives, for names, short forms, numbers and titles."""
    G = store.read_graph()
    texts = ["工信", "发改", "局", "县", "泽州", "政办发", "〔2023〕", "专业镇", "  ", "没有这个"]
    texts += [str(d["name"])[:3] for _, d in list(G.nodes(data=True))[::40] if d.get("name")]
    commands = [["search", t, *form] for t in texts for form in ([], ["--json", "--limit", "5"])]
    sizes: list[int] = []
    real = SqliteStore.part_at

    def part_at(self: SqliteStore, question: str, ref: tuple[str, ...] = ()) -> object:
        found = real(self, question, ref)
        assert question == "search" and found is not None
        sizes.append(found[1].number_of_nodes())
        return found

    monkeypatch.setattr(SqliteStore, "part_at", part_at)
    parts = [_printed(store, args, capsys) for args in commands]
    assert len(sizes) == len(commands) and max(sizes) < G.number_of_nodes()
    monkeypatch.setattr(SqliteStore, "part_at", lambda *_: None)
    whole = [_printed(store, args, capsys) for args in commands]
    for args, on_part, on_whole in zip(commands, parts, whole, strict=True):
        assert on_part == on_whole, args
    assert sum(1 for _, out, _ in parts if out.count("\n") > 3) > len(commands) // 2


def test_search_part_reads_the_values_search_looks_through() -> None:
    from graph.sqlite_parts import SEARCHED
    from queries.search import SEARCHABLE

    assert [v.removeprefix("json_extract(attrs, '$.").removesuffix("')") for v in SEARCHED] == list(
        SEARCHABLE
    )


def test_units_tasks_and_matrix_on_their_part_print_as_on_the_whole_graph(
    store: SqliteStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``units``, ``tasks`` (but for one unit alone) and ``matrix`` read every unit, task and
    document with the RESPONSIBLE_FOR edges and the units' heads, not the registers, chains,
    sections or the groups' people: in every form and filter they print what the whole graph
    gives."""
    monkeypatch.setattr(SqliteStore, "stored_answer", lambda self, key: (0, None))
    monkeypatch.setattr(SqliteStore, "keep_answer", lambda *_: False)
    commands = [
        ["units"],
        ["units", "--json"],
        ["units", "--json", "--full"],
        ["units", "--all"],
        ["units", "--region", "阳城县"],
        ["units", "--region", "无此县"],
        ["tasks"],
        ["tasks", "--json"],
        ["tasks", "--region", "高平市"],
        ["tasks", "--document", "阳政办发〔2023〕21号", "--json"],
        ["tasks", "--unit", "县发改局", "--region", "阳城县"],
        ["tasks", "--unit", "县工信局", "--document", "泽政办发〔2023〕17号", "--json"],
        ["matrix"],
        ["matrix", "--json"],
        ["matrix", "--format", "csv"],
        ["matrix", "--region", "泽州县"],
        ["matrix", "--document", "高政办发〔2023〕35号", "--format", "csv"],
        ["matrix", "--region", "无此县"],
    ]
    read: list[tuple[str, int]] = []
    real = SqliteStore.part_at

    def part_at(self: SqliteStore, question: str, ref: tuple[str, ...] = ()) -> object:
        found = real(self, question, ref)
        assert question == "responsibility" and found is not None
        read.append((question, found[1].number_of_nodes()))
        return found

    monkeypatch.setattr(SqliteStore, "part_at", part_at)
    parts = [_printed(store, args, capsys) for args in commands]
    assert len(read) == len(commands)
    assert max(n for _, n in read) < store.read_graph().number_of_nodes()
    monkeypatch.setattr(SqliteStore, "part_at", lambda *_: None)
    whole = [_printed(store, args, capsys) for args in commands]
    for args, on_part, on_whole in zip(commands, parts, whole, strict=True):
        assert on_part == on_whole, args
    assert sum(1 for code, out, _ in parts if code == 0 and out.count("\n") > 3) >= 14
    assert [code for code, *_ in parts].count(0) == len(commands) - 2  # the unknown regions
