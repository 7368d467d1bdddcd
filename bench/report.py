"""The summary of a ``make bench`` run: every figure beside its target and the previous run's
figure, the context it was taken in, and the hand-written sections of the summary kept
(``bench/results/summary.md``; :mod:`bench.run` writes it).
"""

from __future__ import annotations

import re
from typing import Any

from bench import commands

TARGETS = {
    "txt_docs_per_core_s": 100.0,  # at least
    "startup_s": 1.2,  # at most (issue 12; 1.5 before)
    "pdf_ratio": 2.0,  # at most
    "query_p50_ms": 10.0,  # at most
    "matrix_p50_ms": 100.0,  # at most: the unfiltered province matrix
    "command_s": 0.5,  # at most: a whole-process query command on the sample store
    "command_province_s": 1.0,  # at most: the same on the province store
    "api_p99_ms": 50.0,  # at most
    "peak_mb": 1536.0,  # at most: building the province graph
    "serve_peak_mb": 1024.0,  # at most: `zhenkg serve` over it (issue 12)
}
# Hand-written sections of summary.md start at this line; `make bench` keeps them.
KEEP_MARK = "<!-- Below: sections written by hand, kept by `make bench`. -->"


def verdict(value: float | None, target: float, at_least: bool = False) -> str:
    """MET or MISSED (``n/a`` when nothing was measured).

    >>> verdict(120, 100, at_least=True), verdict(2.5, 1.5), verdict(None, 1.0)
    ('MET', 'MISSED', 'n/a')
    """
    if value is None:
        return "n/a"
    return "MET" if (value >= target if at_least else value <= target) else "MISSED"


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return f"{value}{unit}"


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def summary(
    meta: dict[str, Any],
    ing: dict[str, Any],
    qry: dict[str, Any],
    api: dict[str, Any],
    cmd: dict[str, Any] | None = None,
    previous: dict[str, str] | None = None,
) -> str:
    """The Markdown table of every figure beside its target and the previous run's figure (by
    measure; ``previous[""]`` names that run), and the context it was taken in."""
    t = TARGETS
    cmd = cmd or {}
    build = ing.get("build", {})
    corpus = meta.get("corpus", {})
    rows: list[tuple[str, str, str, str]] = []

    txt = build.get("txt_docs_per_cpu_s")
    rows.append(
        (
            f"TXT ingest, {corpus.get('size_kb', 12):g} KB plans ({build.get('txt', {}).get('documents')} "
            "plans, per CPU-second)",
            _fmt(txt, " docs/s"),
            f"≥ {t['txt_docs_per_core_s']:g} docs/s per core",
            verdict(txt, t["txt_docs_per_core_s"], at_least=True),
        )
    )
    cli = ing.get("cli_dir") or {}
    if cli.get("after_startup_plans_per_cpu_s") is not None:
        rate = cli["after_startup_plans_per_cpu_s"]
        rows.append(
            (
                f"`zhenkg ingest DIR`, {cli['plans']} TXT plans into a new SQLite store "
                "(per CPU-second after start-up)",
                _fmt(rate, " docs/s"),
                f"≥ {t['txt_docs_per_core_s']:g} docs/s per core",
                verdict(rate, t["txt_docs_per_core_s"], at_least=True),
            )
        )
    start = _get(ing, "startup", "seconds")
    rows.append(
        (
            "Start-up: fresh process to its first ingested plan",
            _fmt(start, " s"),
            f"≤ {t['startup_s']:g} s",
            verdict(start, t["startup_s"]),
        )
    )
    ratio = _get(ing, "formats", "pdf", "ratio_to_bare")
    rows.append(
        (
            "PDF ingest time ÷ bare PDF text extraction",
            _fmt(ratio, "×"),
            f"≤ {t['pdf_ratio']:g}×",
            verdict(ratio, t["pdf_ratio"]),
        )
    )
    for store, target, where in (
        ("sample", t["command_s"], "the sample store, whole process"),
        ("graph", t["command_province_s"], "the province store, whole process"),
        ("graph_first", t["command_province_s"], "the province store, first after a write"),
    ):
        for name in commands.GRAPH_COMMANDS:
            cpu = _get(cmd, store, name, "cpu_s")
            if cpu is not None:
                rows.append(
                    (
                        f"`zhenkg {name}` on {where} (CPU)",
                        _fmt(cpu, " s"),
                        f"≤ {target:g} s",
                        verdict(cpu, target),
                    )
                )
    nx_results = _get(qry, "stores", "networkx") or {}
    for name, r in nx_results.items():
        if not isinstance(r, dict) or "p50_ms" not in r:
            continue
        target = t["matrix_p50_ms"] if name == "matrix" else t["query_p50_ms"]
        rows.append(
            (
                f"Query p50, networkx: {name}",
                _fmt(r["p50_ms"], " ms"),
                f"≤ {target:g} ms",
                verdict(r["p50_ms"], target),
            )
        )
    for route, levels in (api.get("routes") or {}).items():
        at32 = next((lv for lv in levels if lv["connections"] == 32), None)
        p99 = at32["p99_ms"] if at32 else None
        figure = _fmt(p99, " ms")
        if at32 and at32["statuses"].get("timeout"):
            figure = f"≥ {figure} ({at32['statuses']['timeout']} of {at32['requests']} timed out)"
        rows.append(
            (
                f"API p99 at 32 connections: GET {route}",
                figure,
                f"≤ {t['api_p99_ms']:g} ms",
                verdict(p99, t["api_p99_ms"]),
            )
        )
    if "skipped" in api:
        rows.append(("API load", "skipped: " + api["skipped"], f"≤ {t['api_p99_ms']:g} ms", "n/a"))
    peak = build.get("maxrss_mb")
    rows.append(
        (
            f"Peak memory building the {_fmt(build.get('nodes'))}-node graph",
            _fmt(peak, " MB"),
            f"≤ {t['peak_mb']:g} MB",
            verdict(peak, t["peak_mb"]),
        )
    )
    served = api.get("server_peak_rss_mb")
    if served is not None:
        rows.append(
            (
                "Peak memory of `zhenkg serve` over that graph, under the load above",
                _fmt(served, " MB"),
                f"≤ {t['serve_peak_mb']:g} MB",
                verdict(served, t["serve_peak_mb"]),
            )
        )
    start, end = meta.get("yardstick_ms_start"), meta.get("yardstick_ms_end")
    if start is not None:
        rows.append(
            (
                "Machine speed: CPU of a fixed pure-Python workload (start · end of the run; "
                "`bench.run.yardstick`)",
                f"{_fmt(start)} · {_fmt(end)} ms",
                "none (context)",
                "",
            )
        )
    before = previous or {}
    out = [
        f"| Measure | Figure | Target | | Previous run ({before.get('', 'none')}) |",
        "|---|---|---|---|---|",
        *[
            f"| {a} | {b} | {c} | {f'**{d}**' if d else ''} | {before.get(a, '—')} |"
            for a, b, c, d in rows
        ],
        "",
        *_context(meta, ing, qry, api),
        *(["", *commands.section(cmd)] if cmd else []),
    ]
    return "\n".join(out) + "\n"


def previous_figures(text: str) -> dict[str, str]:
    """Measure → figure of the headline table of an earlier summary; ``""`` → its commit.

    >>> old = "| Measure | Figure | Target | |\\n|---|---|---|---|\\n| A | 2 s | ≤ 1 s | **MISSED** |\\n"
    >>> previous_figures(old + "Measured 2026-11-25 at commit adff60b on 2 CPUs")
    {'A': '2 s', '': 'adff60b, 2026-11-25'}
    """
    out: dict[str, str] = {}
    for line in text.split(KEEP_MARK)[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) >= 4 and cells[0] not in ("Measure", "---"):
            out.setdefault(cells[0], cells[1])
    if m := re.search(r"Measured (\S+) .*?at commit (\w+)", text):
        out[""] = f"{m[2]}, {m[1]}"
    return out


def kept_sections(text: str) -> str:
    """The hand-written part of an earlier summary (from :data:`KEEP_MARK` on), or ``""``."""
    at = text.find(KEEP_MARK)
    return text[at:] if at >= 0 else ""


def _context(
    meta: dict[str, Any], ing: dict[str, Any], qry: dict[str, Any], api: dict[str, Any]
) -> list[str]:
    build = ing.get("build", {})
    corpus = meta.get("corpus", {})
    lines = [
        f"Measured {meta.get('date')} at commit {meta.get('commit')} on {meta.get('cpus')} CPUs "
        f"(load average {meta.get('loadavg_start')} at the start, {meta.get('loadavg_end')} at "
        f"the end), Python {meta.get('python')}; `make bench` took {meta.get('total_seconds')} s.",
        f"Corpus: {corpus.get('plans')} synthetic plans of ~{corpus.get('size_kb')} KB in "
        f"{corpus.get('counties')} counties (seed {corpus.get('seed')}), the first "
        f"{corpus.get('formats_subset')} also as DOCX, PDF and HTML; registers of "
        f"{corpus.get('firms_per_county')} firms per county. Graph: {_fmt(build.get('nodes'))} "
        f"nodes, {_fmt(build.get('edges'))} edges, {_fmt((build.get('store_bytes') or 0) / 1e6)} MB "
        "as the store file.",
        "",
        "Ingest per format (fresh in-memory store, after start-up):",
        "",
        "| Format | docs/s (wall) | docs/s per CPU-s | MB/s | ms/doc read · extract · fragment · load | × bare extraction |",
        "|---|---|---|---|---|---|",
    ]
    for fmt, r in (ing.get("formats") or {}).items():
        st = r.get("stages_ms_per_doc", {})
        stages = " · ".join(_fmt(st.get(k)) for k in ("read", "extract", "fragment", "load"))
        lines.append(
            f"| {fmt} | {_fmt(r.get('docs_per_s'))} | {_fmt(r.get('docs_per_cpu_s'))} | "
            f"{_fmt(r.get('mb_per_s'))} | {stages} | {_fmt(r.get('ratio_to_bare'))} |"
        )
    real = ing.get("real") or {}
    if "docs_per_cpu_s" in real:
        lines += [
            "",
            f"Real documents (`../shared/corpus/real` and the evaluation set: {real['documents']} "
            f"plans and notices, {real['chars']:,} characters; extract and fragment, one pass): "
            f"{_fmt(real['docs_per_cpu_s'])} docs per CPU-second, "
            f"{_fmt(real['kchars_per_cpu_s'])} k characters per CPU-second.",
        ]
    scale = build.get("at_scale_ms_per_doc", {})
    fs = ing.get("file_store", {})
    lines += [
        "",
        f"One more plan into the province graph: {_fmt(sum(scale.values()) if scale else None)} "
        f"ms in memory (merge {_fmt(scale.get('load'))} ms); `zhenkg ingest` of one plan into "
        f"the {_fmt((build.get('store_bytes') or 0) / 1e6)} MB store file: "
        f"{_fmt(fs.get('cli_ingest_one_s'))} s; opening that file: {_fmt(fs.get('open_s'))} s, "
        f"{_fmt(fs.get('open_maxrss_mb'))} MB.",
        "",
        "Query latency (ms, wall; CPU p50 of the calling thread in brackets):",
        "",
    ]
    stores = qry.get("stores", {})
    names = [
        n
        for n in stores.get("networkx", {})
        if isinstance(stores["networkx"][n], dict) and "runs" in stores["networkx"][n]
    ]
    header = "| Question |" + "".join(f" {s} p50 | {s} p99 |" for s in stores)
    lines += [header, "|---|" + "---|---|" * len(stores)]
    for name in names:
        cells = []
        for s in stores.values():
            r = s.get(name, {}) if isinstance(s, dict) else {}
            if "runs" in r:
                cells += [f"{_fmt(r['p50_ms'])} ({_fmt(r['cpu_p50_ms'])})", _fmt(r["p99_ms"])]
            else:
                reason = r.get("unsupported") or r.get("error") or s.get("skipped") or "—"
                cells += [reason if len(reason) < 60 else reason[:57] + "…", ""]
        lines.append(f"| {name} |" + "".join(f" {c} |" for c in cells))
    lines += ["", "API under load (requests/s · p50 ms · p99 ms):", ""]
    if "skipped" in api:
        lines.append(f"Skipped: {api['skipped']}")
    else:
        lines += [
            "| Route | 1 connection | 8 connections | 32 connections |",
            "|---|---|---|---|",
        ]
        for route, levels in api.get("routes", {}).items():
            cells = [
                f"{_fmt(lv['rps'])} · {_fmt(lv['p50_ms'])} · {_fmt(lv['p99_ms'])}" for lv in levels
            ]
            lines.append(f"| GET {route} |" + "".join(f" {c} |" for c in cells))
        lines.append(
            f"\nServer: {api.get('server')}, ready in {_fmt(api.get('ready_s'))} s, peak RSS "
            f"{_fmt(api.get('server_peak_rss_mb'))} MB."
        )
    return lines
