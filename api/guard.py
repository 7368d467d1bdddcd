"""The server's edges: which ``Host`` a request may name, and what a page may run.

:class:`HostCheck` refuses a request whose ``Host`` is not this server (DNS rebinding: a page
on ``evil.example`` whose name later resolves to 127.0.0.1 would otherwise read the loopback
server as its own origin). :class:`StrictCsp` gives every HTML response a policy that allows
only scripts and styles from this host, and the inline ones the response itself carries, by
their SHA-256: no ``'unsafe-inline'``, no ``'unsafe-eval'``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
ENV_HOSTS = "ZHENKG_ALLOWED_HOSTS"
_HOST = re.compile(
    r"^(?:\[(?P<v6>[0-9a-fA-F:.]+)\]|(?P<name>[^:\[\]/\s@]+))(?::(?P<port>\d{1,5}))?$"
)


def parse_host(value: str) -> tuple[str, int | None] | None:
    """The name and port of a ``Host`` header, or None when it is no host.

    >>> parse_host("[::1]:8000"), parse_host("LocalHost."), parse_host("a b")
    (('::1', 8000), ('localhost', None), None)
    """
    m = _HOST.match(value.strip())
    if m is None:
        return None
    name = (m.group("v6") or m.group("name")).lower().rstrip(".")
    port = m.group("port")
    return name, int(port) if port is not None else None


def hosts_from_env(environ: dict[str, str] | None = None) -> list[str]:
    """The extra host names in ``$ZHENKG_ALLOWED_HOSTS`` (comma-separated).

    >>> hosts_from_env({"ZHENKG_ALLOWED_HOSTS": " kg.intranet , 10.0.0.5 "})
    ['kg.intranet', '10.0.0.5']
    """
    env = os.environ if environ is None else environ
    return [h.strip().lower().rstrip(".") for h in env.get(ENV_HOSTS, "").split(",") if h.strip()]


class HostCheck:
    """ASGI middleware: 400 in JSON unless ``Host`` names this server on its port.

    Accepted names: the loopback names, the address the client connected to (what uvicorn
    puts in ``scope["server"]``; with ``--host 0.0.0.0`` the interface actually reached), the
    ``hosts`` given (``zhenkg serve --host``) and those of ``$ZHENKG_ALLOWED_HOSTS``.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.names = LOOPBACK | {h.lower().strip("[]").rstrip(".") for h in hosts}
        self.names |= set(hosts_from_env())

    def allowed(self, scope: Scope) -> tuple[bool, str]:
        """Whether the request's ``Host`` is this server, and the header as sent."""
        raw = next((v for k, v in scope.get("headers", []) if k == b"host"), None)
        if raw is None:
            return False, ""
        value = raw.decode("latin-1")
        parsed = parse_host(value)
        if parsed is None:
            return False, value
        name, port = parsed
        server = scope.get("server")
        names = self.names | ({str(server[0]).lower()} if server else set())
        if name not in names:
            return False, value
        # A port, when sent, must be the one bound; none sent is the client's default, which
        # says nothing a rebinding page could choose.
        if server and server[1] is not None and port is not None and port != int(server[1]):
            return False, value
        return True, value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        ok, value = self.allowed(scope)
        if ok:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        detail = (
            f"Host {value!r} is not this server: use the address it was started on "
            f"(127.0.0.1, localhost), or add the name to {ENV_HOSTS}"
        )
        body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# ReDoc (fastapi-offline's bundle) styles itself through styled-components, which writes
# <style> elements at run time: no hash can name them. Its scripts stay hashed; its styles
# come from this host or from itself, and neither loads or runs anything.
INLINE_STYLES = frozenset({"/redoc"})


def policy(scripts: Iterable[str] = (), styles: Iterable[str] | None = ()) -> str:
    """The CSP of a page whose inline scripts and styles have these ``'sha256-…'`` sources
    (``styles=None``: any inline style, for :data:`INLINE_STYLES`)."""

    def sources(hashes: Iterable[str] | None) -> str:
        if hashes is None:  # with a hash beside it, browsers ignore 'unsafe-inline'
            return " 'unsafe-inline'"
        return "".join(f" '{h}'" for h in sorted(set(hashes)))

    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{sources(scripts)}",
            f"style-src 'self'{sources(styles)}",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


_OPEN = re.compile(rb"<!--|<(script|style)(?=[\s>/])([^>]*)>", re.IGNORECASE)


def inline_blocks(html: bytes) -> Iterator[tuple[str, bytes]]:
    """``("script"|"style", content)`` of every inline element of ``html``, as a browser's
    tokenizer ends them (at the first ``</script`` or ``</style``); comments are skipped.

    >>> list(inline_blocks(b'<!-- <script>x</script> --><script src=a.js></script><style>p{}</style>'))
    [('style', b'p{}')]
    """
    pos = 0
    while True:
        m = _OPEN.search(html, pos)
        if m is None:
            return
        if m.group(0) == b"<!--":
            end = html.find(b"-->", m.end())
            pos = len(html) if end < 0 else end + 3
            continue
        tag = m.group(1).lower()
        close = _find_close(html, tag, m.end())
        content = html[m.end() : close if close >= 0 else len(html)]
        if not (tag == b"script" and re.search(rb"\bsrc\s*=", m.group(2), re.IGNORECASE)):
            yield tag.decode(), content
        pos = len(html) if close < 0 else close


def _find_close(html: bytes, tag: bytes, start: int) -> int:
    found = re.compile(rb"</" + tag, re.IGNORECASE).search(html, start)
    return -1 if found is None else found.start()


def sha256_source(content: bytes) -> str:
    """The CSP source of an inline element's content.

    >>> sha256_source(b"")
    'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    """
    return "sha256-" + base64.b64encode(hashlib.sha256(content).digest()).decode()


def page_policy(html: bytes, path: str = "") -> str:
    """The CSP of one HTML body: this host, and its own inline scripts and styles."""
    scripts: list[str] = []
    styles: list[str] = []
    for tag, content in inline_blocks(html):
        (scripts if tag == "script" else styles).append(sha256_source(content))
    return policy(scripts, None if path in INLINE_STYLES else styles)


class StrictCsp:
    """ASGI middleware adding :func:`page_policy` of the body to every HTML response.

    The body is held until complete (pages are small, the explorer a few MB at most), since the
    header must name the hashes of what follows it. Hashes rather than nonces, so that a kept
    body needs no rewriting.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_with_policy(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                if not kind.startswith(b"text/html"):
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            headers = [
                (k, v) for k, v in start.get("headers", []) if k != b"content-security-policy"
            ]
            policy_ = page_policy(body, scope.get("path", ""))
            headers.append((b"content-security-policy", policy_.encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_with_policy)
