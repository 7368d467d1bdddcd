"""``zhenkg serve`` and ``zhenkg demo``: the HTTP API and the planner's pages on this host.

Both bind to 127.0.0.1 unless told otherwise: the desk is for the planner's own machine or an
intranet host chosen on purpose, never every interface by accident.
"""

from __future__ import annotations

import argparse
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api import render
from api.cli import _common, _store
from graph.errors import ZhenkgError

if TYPE_CHECKING:
    from queries.service import Questions

HOST = "127.0.0.1"
PORT = 8000


def overview_url(host: str, port: int) -> str:
    """The address a browser on this machine opens.

    >>> overview_url("0.0.0.0", 8000), overview_url("::1", 8080)
    ('http://127.0.0.1:8000/', 'http://[::1]:8080/')
    """
    if host in {"0.0.0.0", "", "::"}:
        host = "127.0.0.1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def port_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound now (checked before any work, so that a taken port
    is one line, not a traceback after the ingest)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def check_port(host: str, port: int) -> None:
    """Refuse a taken port with the way out.

    Raises:
        PortInUse: something listens on ``host:port``.
    """
    if not port_free(host, port):
        raise PortInUse(
            f"port {port} in use: make run PORT={port + 123}  (or zhenkg serve --port {port + 123})"
        )


class PortInUse(ZhenkgError):
    """The port to serve on is taken."""


def cmd_serve(args: argparse.Namespace) -> int:
    check_port(args.host, args.port)
    from api.settings import Settings

    store = _store(args)
    settings = Settings.from_env()  # fail early, as one line, on a bad variable
    uploads = "on" if settings.api_token else "off (set ZHENKG_API_TOKEN to allow)"
    print(f"zhenkg: {store.name} store, {sum(store.counts().values())} facts; uploads {uploads}")
    print(f"overview: {overview_url(args.host, args.port)}", flush=True)
    from api.serving import run

    run(store, args.host, args.port, args.log_level, args.workers, getattr(args, "store", None))
    return 0


def print_findings(q: Questions, thin_below: int) -> None:
    """Matrix, coverage findings, group office directors and the top gaps of each chain."""
    from api.basis import basis_text, register_basis
    from api.gaptable import gap_rows
    from api.leads import matrix_leads
    from queries.gaps import top_gaps
    from queries.responsibility import offices

    m = q.matrix()
    print(render.matrix_table(m, matrix_leads(q, m)))
    c = q.coverage()
    print()
    print("责任单位中无领导小组成员的：" + ("、".join(c.task_units_without_group_member) or "无"))
    print("领导小组成员单位中无任务的：" + ("、".join(c.group_units_without_task) or "无"))
    for o in offices(q.graph):
        d = o.director
        who = f"{d.name}（{d.unit}{d.title}）" if d else "—"
        print(f"{o.group}办公室主任：{who}；办公室设在{o.unit or '—'}")
    for chain in q.chains():
        town = chain.towns[0].id if len(chain.towns) == 1 else None
        report = q.gaps(chain.id, town, thin_below)
        where = chain.towns[0].name if town else "全部企业"
        print(f"\n{chain.name}产业链（{where}）首要缺口：")
        header, rows = gap_rows(report)
        print(render.table(header, rows[:6]) if top_gaps(report, 1) else "无缺口")
    print("\n" + basis_text(register_basis(q)))


def cmd_demo(args: argparse.Namespace) -> int:
    from api.settings import Settings
    from ingest.load import SAMPLE_REGISTER, register_load, store_record
    from ingest.pipeline import extract_file

    check_port(args.host, args.port)
    store = _store(args)
    settings = Settings.from_env()
    record = extract_file(args.sample)
    merged = store_record(store, record)
    did = {"new": "已导入", "updated": "已导入新版本", "unchanged": "未变（已在库中）"}
    print(
        f"{did.get(merged.status, merged.status)} {Path(args.sample).name}: "
        f"{record.document.doc_number or '-'} {record.document.title or ''}"
        f"（{len(record.tasks)} 项任务，第 {merged.version} 版）"
    )
    register = None if args.no_register else Path(args.register or SAMPLE_REGISTER)
    if register is not None and register.exists():
        fragment, imported = register_load(register)
        store.load(fragment)
        print(
            f"已导入企业名录 {imported.file}：{len(imported.rows)} 家企业"
            "（公开报道整理的部分样本，不是普查）"
        )
    print()
    from queries.service import Questions

    print_findings(Questions(store), settings.thin_below)
    print()
    print(f"overview: {overview_url(args.host, args.port)}", flush=True)
    from api.serving import run

    run(store, args.host, args.port, args.log_level)
    return 0


def _server_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default=HOST, help=f"interface to bind (default {HOST})")
    p.add_argument("--port", type=int, default=PORT, help=f"port (default {PORT})")
    p.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    _common(p, json_flag=False)


def register(sub: Any) -> None:
    """Add ``serve`` and ``demo`` to the ``zhenkg`` parser."""
    p = sub.add_parser("serve", help="serve the HTTP API and the pages (default 127.0.0.1:8000)")
    _server_options(p)
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes, each holding the graph (default 1)",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="ingest a sample, print the findings, then serve")
    p.add_argument("--sample", required=True, help="the plan to ingest first")
    p.add_argument(
        "--register", help="enterprise register to import (default: the bundled sample register)"
    )
    p.add_argument("--no-register", action="store_true", help="import no enterprise register")
    _server_options(p)
    p.set_defaults(func=cmd_demo)
