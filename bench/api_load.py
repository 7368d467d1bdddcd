"""HTTP API under load, from a second process on loopback.

Run ``python -m bench.api_load GRAPH``: starts ``zhenkg serve --db GRAPH`` on a free
127.0.0.1 port, waits until it answers, then drives the read routes issue 12 names (search,
units, coverage, the busiest unit's tasks, a chain's gaps; the subjects are taken from the
server's own ``/units`` and ``/chains``) at 1, 8 and 32 concurrent keep-alive connections.
The client is one asyncio event loop writing raw HTTP/1.1 requests (a thread per connection
would measure the client's GIL hand-offs, not the server); it asks for gzip, as browsers and
HTTP libraries do. Each level issues requests for at most ``--seconds`` (and at most
``--requests`` in all), then waits for the requests in flight, up to a time-out of
:data:`TIMEOUT_S` per request (counted under ``statuses["timeout"]``, its latency as the time
waited, so a p99 near the time-out is a lower bound). Prints JSON: per route and level,
requests/s, p50 and p99 latency in ms, status counts, bytes per response, and the server's
peak resident memory (``VmHWM``).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import subprocess
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.commands import CONSOLE
from bench.queries import percentile

ROOT = Path(__file__).resolve().parents[1]
SEARCH = "/search?q=" + urllib.parse.quote("局")  # one character: it matches most names
LEVELS = (1, 8, 32)
SECONDS = 4.0
MAX_REQUESTS = 20_000
TIMEOUT_S = 30.0  # per request; a request not answered by then counts as a time-out


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command(graph: Path, port: int) -> list[str] | None:
    """``zhenkg serve`` for ``graph`` on ``port``, or None when this checkout has no ``serve``."""
    base = CONSOLE
    probe = subprocess.run([*base, "serve", "--help"], capture_output=True, cwd=ROOT)
    if probe.returncode != 0:
        return None
    options = ["--db", str(graph), "--host", "127.0.0.1", "--port", str(port)]
    return [*base, "serve", *options, "--log-level", "warning"]


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, int]:
    """Status and body length of one GET on a kept-alive connection."""
    conn.request("GET", path, headers={"Accept": "application/json"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


@contextmanager
def server(graph: Path, ready_timeout: float = 300.0) -> Iterator[tuple[int, int, float]]:
    """Run ``zhenkg serve`` over ``graph``; yields port, pid and seconds until it answered."""
    port = free_port()
    command = serve_command(graph, port)
    if command is None:
        raise RuntimeError("this checkout has no `zhenkg serve` (api/cli_server.py)")
    env = {k: v for k, v in os.environ.items() if k not in ("ZHENKG_STORE", "ZHENKG_API_TOKEN")}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            if process.poll() is not None:
                log.seek(0)
                tail = log.read()[-500:].decode(errors="replace")
                raise RuntimeError(f"zhenkg serve exited with {process.returncode}: {tail}")
            if time.perf_counter() - start > ready_timeout:
                raise RuntimeError(f"zhenkg serve did not answer within {ready_timeout} s")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                status, _ = get(conn, "/openapi.json")
                conn.close()
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield port, process.pid, time.perf_counter() - start
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def peak_rss_mb(pid: int) -> float | None:
    """A running process's peak resident set (``VmHWM``), in MB; None off Linux."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def load(port: int, path: str, connections: int, seconds: float, limit: int) -> dict[str, Any]:
    """Drive ``path`` with ``connections`` concurrent keep-alive connections."""
    return asyncio.run(_load(port, path, connections, seconds, limit))


async def _load(
    port: int, path: str, connections: int, seconds: float, limit: int
) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    sizes: list[int] = []
    issued = [0]
    start = time.perf_counter()
    deadline = start + seconds
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n"
        "Accept-Encoding: gzip\r\n\r\n"
    ).encode()

    async def connect() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", port, limit=2**20)

    async def worker() -> None:
        reader, writer = await connect()
        try:
            while time.perf_counter() < deadline and issued[0] < limit:
                issued[0] += 1
                t0 = time.perf_counter()
                try:
                    status, size = await asyncio.wait_for(_get(reader, writer, request), TIMEOUT_S)
                    outcome = str(status)
                except TimeoutError:
                    outcome, size = "timeout", 0
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    outcome, size = type(exc).__name__, 0
                latencies.append(time.perf_counter() - t0)
                statuses[outcome] += 1
                sizes.append(size)
                if not outcome.isdigit():  # start again on a fresh connection
                    writer.close()
                    reader, writer = await connect()
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    wall = time.perf_counter() - start
    return {
        "connections": connections,
        "requests": len(latencies),
        "seconds": round(wall, 3),
        "rps": round(len(latencies) / wall, 2) if wall else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
        "statuses": dict(statuses),
        "bytes_per_response": int(sum(sizes) / len(sizes)) if sizes else 0,
    }


async def _get(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, int]:
    """Status and body length of one GET (the server answers with a Content-Length)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in lines
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    await reader.readexactly(length)
    return status, length


def routes(port: int) -> tuple[str, ...]:
    """The routes issue 12 measures, about the busiest unit and the first chain."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        conn.request("GET", "/units", headers={"Accept": "application/json"})
        units = json.loads(conn.getresponse().read())
        conn.request("GET", "/chains", headers={"Accept": "application/json"})
        chains = json.loads(conn.getresponse().read())
    finally:
        conn.close()
    out = [SEARCH, "/units", "/coverage"]
    if units:
        busiest = max(units, key=lambda u: (u.get("task_count", 0), u["id"]))
        out.append(f"/units/{urllib.parse.quote(busiest['id'], safe=':')}/tasks")
    if chains:
        out.append(f"/chains/{urllib.parse.quote(chains[0]['key'])}/gaps")
    return tuple(out)


def run(
    graph: Path,
    paths: tuple[str, ...] | None = None,
    levels: tuple[int, ...] = LEVELS,
    seconds: float = SECONDS,
    limit: int = MAX_REQUESTS,
) -> dict[str, Any]:
    """Every route at every level against one server; ``skipped`` when it cannot start."""
    try:
        with server(graph) as (port, pid, ready):
            results: dict[str, Any] = {}
            for path in paths or routes(port):
                warm = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
                get(warm, path)  # the first answer builds caches: not part of the figures
                warm.close()
                results[urllib.parse.unquote(path)] = [
                    load(port, path, c, seconds, limit) for c in levels
                ]
            return {
                "server": "zhenkg serve (uvicorn, one process; " + _stack() + ")",
                "ready_s": round(ready, 2),
                "server_peak_rss_mb": peak_rss_mb(pid),
                "seconds_per_level": seconds,
                "routes": results,
            }
    except RuntimeError as exc:
        return {"skipped": str(exc)}


def _stack() -> str:
    """uvicorn's HTTP parser and event loop in this environment (what ``auto`` picks)."""
    import importlib.util

    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{http}, {loop}"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``GRAPH [--seconds S] [--requests N]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.api_load", description=__doc__)
    parser.add_argument("graph", type=Path)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--requests", type=int, default=MAX_REQUESTS)
    args = parser.parse_args(argv)
    result = run(args.graph, seconds=args.seconds, limit=args.requests)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
