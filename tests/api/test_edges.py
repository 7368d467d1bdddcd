"""The server's edges (issue 14): forged ``Host`` headers, the strict CSP, multipart bodies cut
short, and NUL in a parameter, answered alike on every store."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.guard import inline_blocks, sha256_source
from api.settings import Settings
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.store import GraphStore
from tests.api.conftest import SAMPLE

GXJ = "unit:泽州县:县工业和信息化局"


# -- Host -----------------------------------------------------------------------------------
FORGED = [
    "evil.example",
    "evil.example:80",
    "127.0.0.1.evil.example",
    "localhost.evil.example",
    "attacker.test:8000",
    "127.0.0.1:8000",  # a loopback name on another port than the server's
    "localhost:1",
    "",
    "a b",
    "[::1",
    "user@127.0.0.1",
    "0.0.0.0",
]
ACCEPTED = [
    "testserver",
    "127.0.0.1",
    "localhost",
    "LOCALHOST",
    "[::1]",
    "127.0.0.1:80",
    "localhost.",
]
ROUTES = ["/", "/units", "/tasks?unit=县工信局", "/pages/explorer", "/openapi.json", "/docs", "/static/style.css"]  # fmt: skip


@pytest.mark.parametrize("host", FORGED)
def test_a_forged_host_is_refused_in_json(client: TestClient, host: str) -> None:
    for route in ROUTES:
        response = client.get(route, headers={"Host": host})
        assert response.status_code == 400, (host, route, response.text[:200])
        assert response.headers["content-type"] == "application/json"
        detail = response.json()["detail"]
        assert "Host" in detail and "ZHENKG_ALLOWED_HOSTS" in detail


@pytest.mark.parametrize("host", ACCEPTED)
def test_the_server_s_own_names_are_accepted(client: TestClient, host: str) -> None:
    for route in ROUTES:
        response = client.get(route, headers={"Host": host})
        assert response.status_code == 200, (host, route, response.text[:200])


def test_an_upload_with_a_forged_host_changes_nothing(
    client: TestClient, auth: dict[str, str]
) -> None:
    before = client.app.state.store.counts()  # type: ignore[attr-defined]
    response = client.post(
        "/documents",
        files={"file": ("plan.txt", SAMPLE.read_bytes(), "text/plain")},
        headers={**auth, "Host": "evil.example"},
    )
    assert response.status_code == 400
    assert client.app.state.store.counts() == before  # type: ignore[attr-defined]


def test_the_host_served_on_and_configured_names_are_accepted(
    desk_store: NetworkxStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHENKG_ALLOWED_HOSTS", "kg.intranet, 10.0.0.5")
    app = create_app(desk_store, Settings(), hosts=["plans.county.gov"])
    with TestClient(app) as c:
        for host in ["plans.county.gov", "kg.intranet", "10.0.0.5", "KG.intranet:80"]:
            assert c.get("/units", headers={"Host": host}).status_code == 200, host
        assert c.get("/units", headers={"Host": "other.county.gov"}).status_code == 400


def test_the_bound_address_and_port_decide(desk_store: NetworkxStore) -> None:
    """What uvicorn reports as the server (the interface reached, the port bound)."""
    app = create_app(desk_store, Settings())
    with TestClient(app, base_url="http://192.168.7.3:8123") as c:
        assert c.get("/units").status_code == 200
        assert c.get("/units", headers={"Host": "localhost:8123"}).status_code == 200
        assert c.get("/units", headers={"Host": "[::1]:8123"}).status_code == 200
        assert c.get("/units", headers={"Host": "127.0.0.1"}).status_code == 200  # no port sent
        assert c.get("/units", headers={"Host": "localhost:8000"}).status_code == 400
        assert c.get("/units", headers={"Host": "192.168.7.4:8123"}).status_code == 400


# -- CSP ------------------------------------------------------------------------------------
PAGES = [
    "/",
    "/pages/matrix",
    "/pages/units",
    f"/pages/units/{GXJ}",
    "/pages/tasks/三.5",
    "/pages/chains",
    "/pages/chains/foundry",
    "/pages/explorer",
    f"/pages/explorer?focus={GXJ}&depth=1",
    "/docs",
    "/redoc",
    "/pages/units/no-such-unit",
]


class _Attributes(HTMLParser):
    """Inline style and event-handler attributes, which no hash in a CSP allows."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [f"<{tag} {k}>" for k, _ in attrs if k == "style" or k.startswith("on")]


def directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {policy}")


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_strict_policy_naming_their_inline_code(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.headers["content-type"].startswith("text/html"), path
    policy = response.headers["content-security-policy"]
    assert "unsafe-eval" not in policy, policy
    scripts, styles = directive(policy, "script-src"), directive(policy, "style-src")
    assert "'unsafe-inline'" not in scripts, policy
    # ReDoc writes its styles at run time (see api.guard.INLINE_STYLES); no other page may.
    assert ("'unsafe-inline'" in styles) == (path == "/redoc"), policy
    for tag, content in inline_blocks(response.content):
        if tag == "style" and path == "/redoc":
            continue
        allowed = scripts if tag == "script" else styles
        assert f"'{sha256_source(content)}'" in allowed, (path, tag, content[:80])
    markup = _Attributes()
    # Only the markup: the explorer's bundled scripts hold strings such as 'style="…"'.
    markup.feed(re.sub(r"(?s)<script\b.*?</script>", "", response.text))
    assert markup.found == [], (path, markup.found[:5])


def test_a_changed_inline_script_is_not_allowed() -> None:
    page = b"<script>draw()</script><style>p{}</style>"
    hashes = [sha256_source(c) for _, c in inline_blocks(page)]
    assert sha256_source(b"draw();evil()") not in hashes
    assert len(hashes) == 2


def test_json_answers_carry_no_page_policy(client: TestClient) -> None:
    assert "content-security-policy" not in client.get("/units").headers


# -- multipart ------------------------------------------------------------------------------
BOUNDARY = "zhenkg-boundary"
HEAD = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="file"; filename="plan.txt"\r\n'
    "Content-Type: text/plain\r\n\r\n"
).encode()


@pytest.mark.parametrize(
    "tail",
    [b"", b"\r\n", f"\r\n--{BOUNDARY}".encode(), f"\r\n--{BOUNDARY}-".encode(), b"\r\n--"],
    ids=["no-boundary", "crlf", "open-boundary", "half-closed", "dashes"],
)
def test_a_multipart_body_without_its_closing_boundary_is_refused(
    client: TestClient, auth: dict[str, str], tail: bytes
) -> None:
    before = client.app.state.store.counts()  # type: ignore[attr-defined]
    body = HEAD + SAMPLE.read_bytes() + tail
    response = client.post(
        "/documents",
        content=body,
        headers={**auth, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 422, response.text[:300]
    assert "closing boundary" in response.json()["detail"]
    assert client.app.state.store.counts() == before  # type: ignore[attr-defined]


def test_the_same_body_closed_is_accepted(client: TestClient, auth: dict[str, str]) -> None:
    body = HEAD + b"no tasks here" + f"\r\n--{BOUNDARY}--\r\n".encode()
    response = client.post(
        "/documents",
        content=body,
        headers={**auth, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code != 422 or "closing boundary" not in response.text, response.text


# -- NUL ------------------------------------------------------------------------------------
NUL_URLS = [
    ("/search?q=%00", "query parameter 'q'"),
    ("/search?q=县工信局%00", "query parameter 'q'"),
    ("/tasks?unit=%00", "query parameter 'unit'"),
    ("/units/%00/tasks", "path parameter 'id'"),
    (f"/graph?focus={GXJ}%00&depth=1", "query parameter 'focus'"),
    ("/chains/foundry/gaps?town=%00", "query parameter 'town'"),
    ("/pages/explorer?focus=%00", None),
]


def test_nul_in_a_parameter_is_answered_alike_on_every_store(
    store: GraphStore, sample_fragment: Fragment, chains_fragment: Fragment
) -> None:
    for fragment in (sample_fragment, chains_fragment):
        store.load(copy.deepcopy(fragment))
    before = store.counts()
    with TestClient(create_app(store, Settings())) as c:
        for url, names in NUL_URLS:
            response = c.get(url)
            assert response.status_code == 422, (url, response.status_code, response.text[:300])
            if names is None:  # a page: the Chinese error page
                assert response.headers["content-type"].startswith("text/html")
                continue
            detail = response.json()["detail"]
            assert names in detail and "NUL" in detail, (url, detail)
    assert store.counts() == before
