"""A property-based run against the app's own OpenAPI schema.

For every GET operation in ``create_app(store).openapi()``, hypothesis draws parameters from the
schema — valid values, and invalid ones (wrong types, out of range, off the enum, very long,
control characters, omitted) — and the answer must never be a 5xx; an error answer is the API's
``{"detail": …}``. Uploads over the limit are 413, of the wrong type 415, without the token 401
(403 when the server has none), and none of them changes the store.

Hand-rolled on hypothesis; the same schema is also run through ``schemathesis`` (a dev
dependency: ``test_schemathesis_finds_no_server_error``), which checks the answers against it.
"""

from __future__ import annotations

import copy
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore

app_module = pytest.importorskip("api.app", reason="api/app.py (create_app) has not landed yet")
from fastapi.testclient import TestClient  # noqa: E402

from api.settings import Settings  # noqa: E402

TOKEN = "fuzz-token"
MAX_UPLOAD = 4096
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def desk_store(sample_fragment: Fragment) -> NetworkxStore:
    """The sample plan with its chain links and the sample register, in memory."""
    from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
    from ingest.pipeline import extract_file
    from tests.robustness.conftest import SAMPLE

    store = NetworkxStore(None)
    store.load(copy.deepcopy(sample_fragment))
    fragment = document_fragment(extract_file(SAMPLE))
    fragment.merge(register_load(SAMPLE_REGISTER)[0])
    store.load(fragment)
    return store


@pytest.fixture(scope="module")
def client(desk_store: NetworkxStore) -> Iterator[TestClient]:
    app = app_module.create_app(desk_store, Settings(api_token=TOKEN, max_upload=MAX_UPLOAD))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def get_operations() -> list[tuple[str, dict[str, Any]]]:
    """(path, operation) of every GET in the schema of an app over an empty store."""
    schema = app_module.create_app(NetworkxStore(None), Settings()).openapi()
    return [(path, ops["get"]) for path, ops in sorted(schema["paths"].items()) if "get" in ops]


# -- values from the schema -----------------------------------------------------------------
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
NASTY = st.sampled_from(
    ["", " ", "%", "%00", "\x00", "../..", "/", "//", "\\", "'", '"', "{}", "$x", "*", "(", "[",
     "县工信局", "unit:泽州县:县工业和信息化局", "三.1", "-1", "0", "1e309", "NaN", "true",
     "局" * 300, "a" * 5000, "\u202e\u200b", "null", "[]", "?q=1&x=2", "#frag"]
)  # fmt: skip


# Names that exist in the sample store, so that valid draws also reach the found-it paths.
KNOWN = st.sampled_from(
    ["doc:泽州县:泽政办发〔2023〕17号", "泽政办发〔2023〕17号", "zezhou-2023-17.txt",
     "unit:泽州县:县工业和信息化局", "县工业和信息化局", "县工信局", "三.1", "三（一）",
     "task:泽州县:泽政办发〔2023〕17号:三.5", "foundry", "铸造", "hawthorn", "泽州铸造",
     "town:泽州县:泽州铸造", "person:泽州县:刘宽利", "刘宽利", "泽州县", "Unit", "Task"]
)  # fmt: skip


def valid(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the schema accepts."""
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return st.one_of(*(valid(s) for s in options))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**6)), schema.get("maximum", 10**6))
    if kind == "boolean":
        return st.sampled_from(["true", "false", "1", "0"])
    if kind == "array":
        return st.lists(valid(schema.get("items", {"type": "string"})), max_size=4)
    low, high = schema.get("minLength", 0), min(schema.get("maxLength", 60), 60)
    return st.one_of(
        KNOWN, st.text(st.characters(exclude_categories=["Cs"]), min_size=low, max_size=high)
    )


def invalid(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values off the schema: wrong types, out of range, too long, odd characters."""
    wild: list[st.SearchStrategy[Any]] = [TEXT, NASTY, st.tuples(KNOWN, NASTY).map("".join)]
    options = schema.get("anyOf", [schema])
    for s in options:
        if s.get("type") == "integer":
            if "minimum" in s:
                wild.append(st.integers(max_value=s["minimum"] - 1))
            if "maximum" in s:
                wild.append(st.integers(min_value=s["maximum"] + 1))
            wild.append(st.floats(allow_nan=True).map(str))
        if "maxLength" in s:
            wild.append(st.text(min_size=s["maxLength"] + 1, max_size=s["maxLength"] + 50))
    return st.one_of(*wild)


def request(
    spec_params: list[dict[str, Any]], data: st.DataObject
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Path and query values for one call: each valid, invalid or (if optional) left out."""
    path: dict[str, Any] = {}
    query: dict[str, Any] = {}
    for p in spec_params:
        schema = p.get("schema", {})
        how = data.draw(st.sampled_from(["valid", "invalid", "omit"]), label=p["name"])
        if how == "omit" and p["in"] == "query":
            continue
        value = data.draw(valid(schema) if how == "valid" else invalid(schema), label=p["name"])
        (path if p["in"] == "path" else query)[p["name"]] = value
    return path, query


def url(template: str, values: dict[str, Any], raw: bool) -> str:
    for name, value in values.items():
        text = str(value) or "x"
        template = template.replace(
            "{" + name + "}", urllib.parse.quote(text, safe="/" if raw else "")
        )
    return template


def assert_clean(response: Any) -> None:
    assert response.status_code < 500, (
        f"{response.request.url}: {response.status_code} {response.text[:300]}"
    )
    if response.status_code >= 400 and response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("detail"), str), body


# -- GET routes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "operation"), get_operations(), ids=[p for p, _ in get_operations()]
)
def test_get_route_never_answers_5xx(
    client: TestClient, path: str, operation: dict[str, Any]
) -> None:
    params = operation.get("parameters", [])

    @FUZZ
    @given(data=st.data(), raw=st.booleans())
    def run(data: st.DataObject, raw: bool) -> None:
        path_values, query = request(params, data)
        assert_clean(client.get(url(path, path_values, raw), params=query))

    run()


# -- uploads --------------------------------------------------------------------------------
ACCEPTED = [(".txt", "text/plain"), (".pdf", "application/pdf"), (".html", "text/html"),
            (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]  # fmt: skip
REFUSED_EXT = st.sampled_from(
    [".exe", ".doc", ".xls", ".zip", ".png", ".js", "", ".txt.exe", ".PDF.lnk"]
)
REFUSED_TYPE = st.sampled_from(
    ["image/png", "application/zip", "application/x-msdownload", "video/mp4"]
)
NAME = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20)


def post(
    client: TestClient, name: str, content_type: str, data: bytes, headers: dict[str, str] | None
) -> Any:
    return client.post("/documents", files={"file": (name, data, content_type)}, headers=headers)


def counts_of(client: TestClient) -> dict[str, int]:
    counts: dict[str, int] = client.app.state.store.counts()  # type: ignore[attr-defined]
    return counts


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@FUZZ
@given(
    kind=st.sampled_from(ACCEPTED),
    name=NAME,
    extra=st.integers(1, 3 * MAX_UPLOAD),
    seed=st.binary(max_size=64),
)
def test_upload_over_the_limit_is_413(
    client: TestClient, kind: tuple[str, str], name: str, extra: int, seed: bytes
) -> None:
    before = counts_of(client)
    data = (seed or b"x") * (1 + (MAX_UPLOAD + extra) // max(1, len(seed)))
    response = post(client, name + kind[0], kind[1], data[: MAX_UPLOAD + extra], AUTH)
    assert response.status_code == 413, response.text
    assert counts_of(client) == before


@FUZZ
@given(
    name=NAME,
    ext=REFUSED_EXT,
    wrong=st.one_of(st.none(), REFUSED_TYPE),
    body=st.binary(max_size=512),
)
def test_upload_of_the_wrong_type_is_415(
    client: TestClient, name: str, ext: str, wrong: str | None, body: bytes
) -> None:
    before = counts_of(client)
    if wrong is None:  # a refused extension, whatever the declared type
        response = post(client, name + ext, "application/octet-stream", body, AUTH)
    else:  # an accepted extension declared as something else
        response = post(client, name + ".txt", wrong, body, AUTH)
    assert response.status_code == 415, response.text
    assert counts_of(client) == before


TOKENS = st.one_of(
    st.none(),
    st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=40).map(
        lambda t: f"Bearer {t}"
    ),
    st.sampled_from(
        ["Bearer", "Bearer ", f"Basic {TOKEN}", f"bearer{TOKEN}", TOKEN, f"Bearer {TOKEN} x"]
    ),
)


@FUZZ
@given(header=TOKENS)
def test_upload_without_the_token_is_refused(client: TestClient, header: str | None) -> None:
    if header is not None and header.split(" ", 1) == ["Bearer", TOKEN]:
        return  # that one is the right token
    before = counts_of(client)
    headers = {"Authorization": header} if header is not None else None
    response = post(client, "plan.txt", "text/plain", b"no tasks here", headers)
    assert response.status_code == 401, (header, response.status_code, response.text)
    assert counts_of(client) == before


@FUZZ
@given(header=TOKENS)
def test_upload_to_a_server_without_a_token_is_403(
    desk_store: NetworkxStore, header: str | None
) -> None:
    before = desk_store.counts()
    app = app_module.create_app(desk_store, Settings(api_token=None, max_upload=MAX_UPLOAD))
    with TestClient(app, raise_server_exceptions=False) as c:
        headers = {"Authorization": header} if header is not None else None
        response = post(c, "plan.txt", "text/plain", b"no tasks here", headers)
    assert response.status_code == 403, response.text
    assert desk_store.counts() == before


def test_schemathesis_finds_no_server_error(client: TestClient) -> None:
    """The same schema through schemathesis (a dev dependency): no 5xx, every status code,
    content type and body as the schema documents them.

    Not checked: that every schema-valid request is accepted. A NUL is valid text, and is
    refused on purpose (422, before any store), as are names no store holds (404).
    """
    schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
    from schemathesis import checks

    conformance = [
        checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
    ]
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.method.upper() != "GET":
            continue

        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, f"{case.path}: {response.status_code}"
            case.validate_response(response, checks=conformance)

        run()
