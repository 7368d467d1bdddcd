"""Injection attempts through every name and query parameter leave every store unchanged.

Cypher-looking strings, quotes, backslashes, braces, parameters, wildcards and very long
strings go through the CLI's names (``tasks --unit``, ``who``, ``gaps``, ``remove`` …), every
string path and query parameter of the API's GET routes, the questions, and the read-only
Cypher passthrough — over the embedded store and over FalkorDB (the session's server from
``tests/conftest.py``). Each may be answered or refused (exit status 1 or 2, a 4xx, a
``ZhenkgError``), never with a crash or a 5xx, and afterwards the store holds exactly what it
held: the same counts, and for the embedded store the same file bytes.
"""

from __future__ import annotations

import copy
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api.cli import main as cli
from graph.errors import ZhenkgError
from graph.fragment import Fragment
from graph.sqlite_store import SqliteStore
from graph.store import GraphStore

PAYLOADS = [
    "' OR 1=1 --",
    '" OR ""="',
    "x'}) DETACH DELETE n //",
    "') MATCH (n) DETACH DELETE n //",
    "MATCH (n) DETACH DELETE n",
    "x\"}) MATCH (m) SET m.name = 'pwned' //",
    "}) RETURN 1 UNION MATCH (n) DETACH DELETE n RETURN 1 //",
    "$name",
    "{}",
    "{name: 'x'}",
    "${jndi:ldap://x}",
    "\\",
    "\\' OR \\'1\\'=\\'1",
    "`Unit`) DETACH DELETE n //",
    "县工信局'; DROP TABLE units; --",
    "unit:泽州县:县工业和信息化局' OR '1'='1",
    "CALL db.clear()",
    "GRAPH.DELETE zhenkg",
    "FLUSHALL",
    "*",
    ".*",
    "%",
    "(",
    "[a-",
    "../../../../etc/passwd",
    "\x00",
    "\u202e县工信局",
    "局" * 3000,
    "x" * 20000,
]
# The CLI opens the store for every command: a representative dozen of the payloads.
CLI_PAYLOADS = [PAYLOADS[i] for i in (0, 1, 3, 7, 8, 11, 13, 20, 22, 24, 25, 27, 28)]
REFUSED = {1, 2}  # a ZhenkgError printed as one line (1), an argparse refusal (2)


def store_state(store: GraphStore) -> tuple[dict[str, int], bytes | int | None]:
    """Counts, and the SQLite store's generation (bumped by every write that changed a row) or
    the file's bytes for a JSON store."""
    if isinstance(store, SqliteStore):
        return store.counts(), store.generation()
    path = getattr(store, "path", None)
    return store.counts(), Path(path).read_bytes() if path else None


@pytest.fixture(scope="module")
def full_fragment(sample_fragment: Fragment) -> Fragment:
    """The sample as ``zhenkg ingest`` stores it (chain links), with the sample register."""
    from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
    from ingest.pipeline import extract_file
    from tests.robustness.conftest import SAMPLE

    fragment = copy.deepcopy(sample_fragment)
    fragment.merge(document_fragment(extract_file(SAMPLE)))
    fragment.merge(register_load(SAMPLE_REGISTER)[0])
    return fragment


@pytest.fixture(scope="module")
def file_store(tmp_path_factory: pytest.TempPathFactory, full_fragment: Fragment) -> SqliteStore:
    store = SqliteStore(tmp_path_factory.mktemp("inject") / "graph.db")
    store.load(copy.deepcopy(full_fragment))
    return store


@pytest.fixture(scope="module")
def falkordb_store(request: pytest.FixtureRequest, full_fragment: Fragment) -> Iterator[GraphStore]:
    """The same facts in a graph of their own on the session's FalkorDB server."""
    try:
        host, port = request.getfixturevalue("falkordb_server")
    except pytest.FixtureLookupError:
        pytest.skip("tests/conftest.py has no falkordb_server fixture")
    from graph.falkordb_store import FalkorDBStore

    store = FalkorDBStore(host, port, graph=f"inject_{uuid.uuid4().hex[:10]}")
    store.load(copy.deepcopy(full_fragment))
    try:
        yield store
    finally:
        store.drop()
        store.close()


# -- the CLI --------------------------------------------------------------------------------
CLI = [
    ["tasks", "--unit", "{p}"],
    ["who", "{p}"],
    ["coverage", "--region", "{p}"],
    ["gaps", "{p}"],
    ["gaps", "foundry", "--town", "{p}"],
    ["load", "{p}"],
    ["load", "县工信局", "--region", "{p}"],
    ["shared", "县工信局", "{p}"],
    ["versions", "{p}"],
    ["diff", "{p}", "泽政办发〔2023〕17号"],
    ["remove", "{p}"],
    ["cypher", "{p}"],
]


def cli_cases(store: str) -> list[Any]:
    """One case per command (``store`` names the backend the cases run on)."""
    return [pytest.param(template, id=" ".join(template[:2])) for template in CLI]


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    try:
        code = cli(argv)
    except SystemExit as exc:  # argparse refuses a value that looks like an option
        code = int(exc.code or 0)
    except Exception as exc:  # a crash: report it as the assertion it breaks
        raise AssertionError(f"{argv[:2]}: {type(exc).__name__}: {exc!s:.150}") from exc
    finally:
        capsys.readouterr()
    return code


def cli_attempts(
    store: GraphStore, template: list[str], where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = store_state(store)
    for payload in CLI_PAYLOADS:
        argv = [a.replace("{p}", payload) for a in template] + where
        code = run_cli(argv, capsys)
        assert code in {0, *REFUSED}, (argv[:2], payload[:40], code)
    assert store_state(store) == before, f"zhenkg {template[0]} changed the store"


@pytest.mark.parametrize("template", cli_cases("networkx"))
def test_cli_names_leave_the_embedded_store_unchanged(
    file_store: SqliteStore, template: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    cli_attempts(file_store, template, ["--db", str(file_store.path)], capsys)


@pytest.mark.falkordb
@pytest.mark.parametrize("template", cli_cases("falkordb"))
def test_cli_names_leave_falkordb_unchanged(
    falkordb_store: GraphStore, template: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    uri = falkordb_store.target  # type: ignore[attr-defined]
    cli_attempts(falkordb_store, template, ["--store", uri], capsys)


# -- the API --------------------------------------------------------------------------------
def string_params(operation: dict[str, Any]) -> list[dict[str, Any]]:
    """The path and query parameters of an operation that take free text."""
    out = []
    for p in operation.get("parameters", []):
        schema = p.get("schema", {})
        kinds = {s.get("type") for s in schema.get("anyOf", [schema])}
        if kinds & {"string", "array"} and "enum" not in schema:
            out.append(p)
    return out


def embedded_only(response: Any) -> bool:
    """The documented 501 of a question that only the embedded store answers yet."""
    return response.status_code == 501 and "embedded store" in response.json().get("detail", "")


def api_attempts(store: GraphStore) -> None:
    app_module = pytest.importorskip("api.app", reason="api/app.py has not landed yet")
    from fastapi.testclient import TestClient

    from api.settings import Settings

    before = store_state(store)
    app = app_module.create_app(store, Settings())
    with TestClient(app, raise_server_exceptions=False) as client:
        paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
        for template, ops in sorted(paths.items()):
            if "get" not in ops:
                continue
            for param in string_params(ops["get"]):
                for payload in PAYLOADS[:-1]:  # 20 kB in a URL is refused before the app
                    url, query = template, {}
                    if param["in"] == "path":
                        quoted = urllib.parse.quote(payload, safe="")
                        url = url.replace("{" + param["name"] + "}", quoted)
                    else:
                        query[param["name"]] = payload
                    response = client.get(url.replace("{id}", "x"), params=query)
                    assert response.status_code < 500 or embedded_only(response), (
                        template,
                        param["name"],
                        payload[:40],
                        response.text[:200],
                    )
                assert store_state(store) == before, f"GET {template} ({param['name']})"


def test_api_parameters_leave_the_embedded_store_unchanged(file_store: SqliteStore) -> None:
    api_attempts(file_store)


@pytest.mark.falkordb
def test_api_parameters_leave_falkordb_unchanged(falkordb_store: GraphStore) -> None:
    api_attempts(falkordb_store)


# -- questions and the Cypher passthrough on FalkorDB ---------------------------------------
@pytest.mark.falkordb
def test_questions_leave_falkordb_unchanged(falkordb_store: GraphStore) -> None:
    from api.lookup import matrix_in
    from queries.service import Questions

    q = Questions(falkordb_store)
    before = store_state(falkordb_store)
    calls: list[Callable[[str], object]] = [
        lambda p: q.unit_ids(p),
        lambda p: q.tasks(p),
        lambda p: q.tasks("县工信局", p),
        lambda p: q.who(p),
        lambda p: q.coverage(p),
        lambda p: q.search(p),
        lambda p: q.gaps(p),
        lambda p: q.gaps("foundry", p),
        lambda p: q.neighbourhood(p, 1, [p]),
        lambda p: matrix_in(q, p),
        lambda p: matrix_in(q, None, p),
        lambda p: q.matrix(None, [p, "doc:" + p]),
    ]
    for call in calls:
        for payload in PAYLOADS:
            try:
                call(payload)
            except ZhenkgError:
                continue  # refusing a name is an answer
    assert store_state(falkordb_store) == before


@pytest.mark.falkordb
def test_read_only_passthrough_refuses_writes(falkordb_store: GraphStore) -> None:
    before = store_state(falkordb_store)
    writes = [
        "MATCH (n) DETACH DELETE n",
        "CREATE (n:Unit {id: 'x'})",
        "MATCH (n:Unit) SET n.name = 'pwned'",
        "MERGE (n:Task {id: 'x'}) RETURN n",
        "MATCH (n) WITH n LIMIT 1 DELETE n",
        "MATCH (n) RETURN n.id AS x UNION MATCH (m) DETACH DELETE m RETURN m.id AS x",
    ]
    for statement in writes:
        with pytest.raises(ZhenkgError):  # the passthrough's own check
            falkordb_store.read_only(statement)  # type: ignore[attr-defined]
        with pytest.raises(ZhenkgError):  # the server's GRAPH.RO_QUERY behind it
            falkordb_store.read(statement)  # type: ignore[attr-defined]
    for payload in PAYLOADS:
        try:
            rows = falkordb_store.read(  # type: ignore[attr-defined]
                "MATCH (u:Unit) WHERE u.name = $name RETURN count(u) AS n", {"name": payload}
            )
        except ZhenkgError:
            # The falkordb client inlines parameters into a CYPHER header; a NUL ends the
            # query there and the server refuses the rest: a refusal, not an injection.
            assert "\x00" in payload
            continue
        assert rows == [{"n": 0}], payload[:40]
    assert store_state(falkordb_store) == before
