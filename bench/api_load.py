"""HTTP API under load, from a second process on loopback.

Run ``python -m bench.api_load GRAPH``: starts ``zhenkg serve --db GRAPH`` on a free
127.0.0.1 port, waits until it answers, then drives read routes from this process with a pool
of threads, each holding one keep-alive connection (``http.client``), at 1, 8 and 32
concurrent connections. Each level issues requests for at most ``--seconds`` (and at most
``--requests`` in all), then waits for the requests in flight, up to a time-out of
:data:`TIMEOUT_S` per request (counted under ``statuses["timeout"]``, its latency as the time
waited, so a p99 near the time-out is a lower bound). Prints JSON: per route and
level, requests/s, p50 and p99 latency in ms, status counts, bytes per response, and the
server's peak resident memory (``VmHWM``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.queries import percentile

ROOT = Path(__file__).resolve().parents[1]
# Slowest last: requests given up at the time-out keep the server busy until it is stopped.
ROUTES = ("/search?q=" + urllib.parse.quote("局"), "/units", "/matrix")
LEVELS = (1, 8, 32)
SECONDS = 4.0
MAX_REQUESTS = 2000
TIMEOUT_S = 30.0  # per request; a request not answered by then counts as a time-out


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command(graph: Path, port: int) -> list[str] | None:
    """``zhenkg serve`` for ``graph`` on ``port``, or None when this checkout has no ``serve``."""
    zhenkg = Path(sys.executable).with_name("zhenkg")
    base = [str(zhenkg)] if zhenkg.exists() else [sys.executable, "-m", "api.cli"]
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
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    sizes: list[int] = []
    lock = threading.Lock()
    issued = [0]
    start = time.perf_counter()
    deadline = start + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        try:
            while True:
                with lock:
                    if time.perf_counter() >= deadline or issued[0] >= limit:
                        return
                    issued[0] += 1
                t0 = time.perf_counter()
                try:
                    status, size = get(conn, path)
                    outcome = str(status)
                except TimeoutError:
                    outcome, size = "timeout", 0
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
                except (OSError, http.client.HTTPException) as exc:
                    outcome, size = type(exc).__name__, 0
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    statuses[outcome] += 1
                    sizes.append(size)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
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


def run(
    graph: Path,
    routes: tuple[str, ...] = ROUTES,
    levels: tuple[int, ...] = LEVELS,
    seconds: float = SECONDS,
    limit: int = MAX_REQUESTS,
) -> dict[str, Any]:
    """Every route at every level against one server; ``skipped`` when it cannot start."""
    try:
        with server(graph) as (port, pid, ready):
            results: dict[str, Any] = {}
            for path in routes:
                warm = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
                get(warm, path)  # the first answer builds caches: not part of the figures
                warm.close()
                results[urllib.parse.unquote(path)] = [
                    load(port, path, c, seconds, limit) for c in levels
                ]
            return {
                "server": "zhenkg serve (uvicorn, one process)",
                "ready_s": round(ready, 2),
                "server_peak_rss_mb": peak_rss_mb(pid),
                "seconds_per_level": seconds,
                "routes": results,
            }
    except RuntimeError as exc:
        return {"skipped": str(exc)}


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
