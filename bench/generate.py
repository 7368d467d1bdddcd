"""Write the synthetic province corpus: county plans in TXT (all), DOCX, PDF and HTML (a subset).

Run ``python -m bench.generate OUT [--plans 1000 --counties 100 --formats 30 --firms 530]``.
The plans and registers come from the seeded :class:`bench.province.Province`, so the same
arguments give the same texts (and byte-identical TXT, HTML and PDF files; DOCX zip entries
carry a fixed timestamp). Each plan is written as TXT, the first ``--formats`` also as DOCX,
PDF and HTML (with the test builders), and each county's register as CSV, with a manifest.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

from bench.province import SEED, Province

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("txt", "docx", "pdf", "html")


def chain_nodes() -> dict[str, list[str]]:
    """Node ids of the bundled chain templates, by chain id."""
    from graph.chain_files import load_chains

    return {
        cid: [n.id for n in t.nodes] for cid, t in load_chains(ROOT / "data" / "chains").items()
    }


def fixed_docx_times(path: Path) -> None:
    """Rewrite a DOCX with a fixed timestamp on every zip entry, so builds are byte-identical."""
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, (2023, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def generate(
    out: Path,
    *,
    seed: int = SEED,
    plans: int = 1000,
    counties: int = 100,
    formats: int = 30,
    firms: int = 530,
    size_kb: float = 12.0,
) -> dict[str, object]:
    """Write the corpus under ``out`` and return its manifest (also written as manifest.json).

    Layout: ``txt/<id>.txt`` for every plan; ``docx/``, ``pdf/``, ``html/`` for the first
    ``formats`` plans; ``registers/<county>.csv`` with ``firms`` rows per county.
    """
    import reportlab.rl_config

    from tests.ingest.builders import build_docx, build_html, build_pdf

    reportlab.rl_config.invariant = 1  # no creation date or random id in the PDF
    province = Province(seed, counties, plans, size_kb)
    docs: list[dict[str, object]] = []
    for fmt in FORMATS:
        (out / fmt).mkdir(parents=True, exist_ok=True)
    for k, plan in enumerate(province.plans()):
        paths = {"txt": out / "txt" / f"{plan.id}.txt"}
        paths["txt"].write_text(plan.text, "utf-8")
        if k < formats:
            paths["docx"] = build_docx(plan.text, out / "docx" / f"{plan.id}.docx")
            fixed_docx_times(paths["docx"])
            header = f"{plan.issuer}规范性文件"
            paths["pdf"] = build_pdf(plan.text, out / "pdf" / f"{plan.id}.pdf", header=header)
            paths["html"] = build_html(plan.text, out / "html" / f"{plan.id}.html", plan.fields)
        for fmt, path in paths.items():
            docs.append(
                {
                    "id": plan.id,
                    "format": fmt,
                    "path": str(path.relative_to(out)),
                    "bytes": path.stat().st_size,
                    "region": plan.county.name,
                    "doc_number": plan.doc_number,
                }
            )
    registers = []
    (out / "registers").mkdir(exist_ok=True)
    nodes = chain_nodes()
    for c, county in enumerate(province.counties):
        path = out / "registers" / f"c{c:03d}.csv"
        path.write_text(province.register(county, firms, nodes), "utf-8")
        registers.append({"path": str(path.relative_to(out)), "region": county.name})
    manifest: dict[str, object] = {
        "seed": seed,
        "plans": plans,
        "counties": counties,
        "formats_subset": formats,
        "firms_per_county": firms,
        "size_kb": size_kb,
        "documents": docs,
        "registers": registers,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus into the folder given on the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--formats", type=int, default=30, help="plans also built as DOCX/PDF/HTML")
    parser.add_argument("--firms", type=int, default=530, help="register rows per county")
    parser.add_argument("--size-kb", type=float, default=12.0)
    args = parser.parse_args(argv)
    manifest = generate(
        args.out,
        seed=args.seed,
        plans=args.plans,
        counties=args.counties,
        formats=args.formats,
        firms=args.firms,
        size_kb=args.size_kb,
    )
    print(f"{len(manifest['documents'])} files written to {args.out}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
