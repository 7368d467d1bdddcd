"""``zhenkg chains``, ``zhenkg gaps``, ``zhenkg targets`` and ``zhenkg firms import``: industry
chains on the CLI."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from api import render
from api.cli import _all_questions, _common, _dump, _store, print_kept
from api.labels import status_label, tier_label
from queries.kept import answer_key

if TYPE_CHECKING:  # the chain questions are imported by the commands that ask them
    from queries.gaps import GapReport
    from queries.service import Questions


def gaps_table(report: GapReport, limit: int | None = None) -> str:
    """A gap report as a text table: node, tier, status, action, firms, score, owners."""
    from queries.gaps import top_gaps

    nodes = top_gaps(report, limit) if limit else report.nodes
    return render.table(
        ["环节", "层级", "状态", "建议", "企业数", "得分", "任务", "责任单位", "负责人"],
        [
            [
                n.name,
                tier_label(n.tier),
                status_label(n.status),
                n.action or "",
                n.firms,
                f"{n.score:.2f}",
                "、".join(t.number or t.id for t in n.tasks)
                + ("（兜底）" if n.reason == "fallback" else ""),
                "、".join(u.name or u.id for u in n.units[:3]) + ("…" if len(n.units) > 3 else ""),
                "、".join(p.name or p.id for p in n.people[:3])
                + ("…" if len(n.people) > 3 else ""),
            ]
            for n in nodes
        ],
    )


def cmd_chains(args: argparse.Namespace) -> int:
    key = answer_key("chains", "json" if args.json else "table")
    print_kept(args, key, lambda q: _chains_text(args, q))
    return 0


def _chains_text(args: argparse.Namespace, q: Questions) -> str:
    chains = q.chains()
    if args.json:
        return _dump(chains)
    return render.table(
        ["链", "名称", "环节数", "企业数", "专业镇"],
        [[c.key, c.name, c.nodes, c.firms, "、".join(t.name for t in c.towns)] for c in chains],
    )


def cmd_gaps(args: argparse.Namespace) -> int:
    form = "json" if args.json else "all" if args.all else "table"
    key = answer_key("gaps", args.chain, args.town, str(args.thin_below), str(args.top), form)
    print_kept(args, key, lambda q: _gaps_text(args, q))
    return 0


def _gaps_text(args: argparse.Namespace, q: Questions) -> str:
    from api.basis import basis_text, register_basis
    from api.gaptable import gap_rows

    report = q.gaps(args.chain, args.town, args.thin_below)
    if args.json:
        return _dump(report)
    lines = [_heading(q, report.chain, report.town), basis_text(register_basis(q))]
    if args.all:
        lines.append(gaps_table(report, args.top))
    else:
        header, rows = gap_rows(report)
        if not rows:  # as the chain page says it
            lines.append(f"这一链条没有缺口：每个环节都有至少 {args.thin_below} 家企业。")
        else:
            lines.append(render.table(header, rows[: args.top] if args.top else rows))
    return "\n".join(lines)


def _heading(q: Questions, chain: str, town: str | None) -> str:
    """The first line of ``gaps`` and ``targets``: the chain and the town by their names, the
    ids after them (what ``--town`` and the API take).

    >>> from queries.chains import ChainSummary, TownRef
    >>> class Q:
    ...     def chains(self):
    ...         t = TownRef(id="town:泽州县:泽州铸造", name="泽州铸造", region="泽州县")
    ...         return [ChainSummary(id="chain:foundry", key="foundry", name="铸造", nodes=27,
    ...                              firms=13, towns=[t])]
    >>> _heading(Q(), "chain:foundry", "town:泽州县:泽州铸造")
    '铸造产业链 · 泽州铸造（泽州县）  chain:foundry · town:泽州县:泽州铸造'
    >>> _heading(Q(), "chain:foundry", None)
    '铸造产业链 · 全部企业  chain:foundry'
    """
    from queries.chains import named_chain

    summary = named_chain(q.chains(), chain)
    name = summary.name if summary else chain
    if town is None:
        return f"{name}产业链 · 全部企业  {chain}"
    ref = next((t for t in summary.towns if t.id == town), None) if summary else None
    where = f"{ref.name}（{ref.region}）" if ref and ref.region else ref.name if ref else town
    return f"{name}产业链 · {where}  {chain} · {town}"


def cmd_targets(args: argparse.Namespace) -> int:
    if args.out:
        from pathlib import Path

        from api.targets import FILE, targets_xlsx

        report = _all_questions(args).targets(args.chain, args.town, args.thin_below, args.top)
        out = Path(args.out)
        if out.is_dir():
            out = out / FILE
        out.write_bytes(targets_xlsx(report))
        print(f"已写出 {out}（{len(report.targets)} 家次企业）")
        return 0
    form = "json" if args.json else "table"
    key = answer_key("targets", args.chain, args.town, str(args.thin_below), str(args.top), form)
    print_kept(args, key, lambda q: _targets_text(args, q))
    return 0


def _targets_text(args: argparse.Namespace, q: Questions) -> str:
    from api.targets import CLI_HINT, SHOWN, target_rows, targets_text

    if args.json:  # every target unless --top: other tools read it
        return _dump(q.targets(args.chain, args.town, args.thin_below, args.top))
    report = q.targets(args.chain, args.town, args.thin_below, args.top or SHOWN)
    gaps = q.gaps(args.chain, report.town, args.thin_below)
    names = {n.id: n.name for n in gaps.nodes}
    lines = [
        _heading(q, report.chain, report.town),
        targets_text(report, CLI_HINT),
    ]
    if report.targets:
        header, rows = target_rows(report, names)
        lines.append(render.table(header, rows))
    if not args.top and len(report.targets) < report.total:  # as the chain page shows them
        lines.append(
            f"只列出排在前面的 {len(report.targets)} 家次（共 {report.total} 家次）："
            "--top N 列出前 N 家次，--out 文件.xlsx 导出全部。"
        )
    return "\n".join(lines)


def cmd_firms_import(args: argparse.Namespace) -> int:
    from ingest.load import register_load

    fragment, register = register_load(args.file, args.region)
    store = _store(args)
    store.load(fragment)
    store.close()
    print(f"已导入 {len(register.rows)} 家企业（{register.file}）")
    for u in register.unmatched:
        print(f"第 {u.row} 行 {u.name}：未归入任何产业链环节（{u.reason}）")
    return 0


def _thin_below(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--thin-below",
        type=int,
        default=2,
        help="a node with fewer firms than this is thin (default 2)",
    )


def register(sub: Any) -> None:
    """Add the chain commands to the ``zhenkg`` parser."""
    p = sub.add_parser("chains", help="industry chains loaded, with their towns")
    _common(p)
    p.set_defaults(func=cmd_chains, collect=False)

    p = sub.add_parser("gaps", help="a chain's missing and thin links (补链/延链/强链) and owners")
    p.add_argument("chain", help="chain id (foundry), or name (铸造)")
    p.add_argument("--town", help="specialised town, e.g. 泽州铸造 (default: all firms)")
    _thin_below(p)
    p.add_argument("--top", type=int, help="only the N gaps to act on first")
    p.add_argument(
        "--all", action="store_true", help="every link with its status and every owner, uncollapsed"
    )
    _common(p)
    p.set_defaults(func=cmd_gaps, collect=False)

    p = sub.add_parser(
        "targets", help="firms in other regions' registers on a county's gaps (招商目标清单)"
    )
    p.add_argument("chain", help="chain id (foundry), or name (铸造)")
    p.add_argument(
        "--town", help="the county's specialised town (default: the one featuring the chain)"
    )
    _thin_below(p)
    p.add_argument("--top", type=int, help="only the N targets ranked first")
    p.add_argument("--out", help="write the 招商目标清单 workbook (.xlsx) here instead")
    _common(p)
    p.set_defaults(func=cmd_targets, collect=False)

    p = sub.add_parser("firms", help="enterprise registers")
    firms = p.add_subparsers(dest="firms_command", required=True)
    imp = firms.add_parser("import", help="import a CSV/XLSX register of local firms")
    imp.add_argument("file")
    imp.add_argument(
        "--region", help="region of the towns in the register (default: from towns.yaml)"
    )
    _common(imp, json_flag=False)
    imp.set_defaults(func=cmd_firms_import)
