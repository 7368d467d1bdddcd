"""Extraction accuracy on the evaluation set and the real development corpus.

Run ``python -m bench.accuracy``: every ``<doc>.(txt|html|docx)`` of the held-out evaluation set
(``tests/data/eval``) with a hand-written ``<doc>.gold.json`` beside it is extracted with the
bundled roster and scored; so is every document of the real development corpus
(``../shared/corpus/real``, ``--real DIR``) against its gold file in ``bench/real`` (the
texts stay outside the repository, only the annotations are here; see ``bench/real/README.md``):

- task–unit pairs: precision, recall and F1 over (task, canonical unit) pairs, predicted tasks
  aligned to gold tasks by title;
- role accuracy: the share of correctly found pairs whose role (lead/support/responsible) is right;
- role F1: precision, recall and F1 over (task, unit, role) triples;
- deadline accuracy: over gold tasks that state one;
- member accuracy: named members (name, role, units held, chain) and collective seats (unit,
  role) as a set, |gold ∩ found| / |gold ∪ found|; member precision, recall and F1 count the
  seats of every group (one person chairing three committees holds three seats);
- document fields and coverage answers (task units without a group seat, group units without a
  task) per document.

A document the tool refuses (raises ``ZhenkgError``) is scored as finding nothing and counted as
refused. Totals are micro-averaged per set. One line per document and the totals are printed;
everything, with the misses, is written to ``bench/results/accuracy.json`` (the evaluation set
at the top level, the real documents under ``"real"``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import ZhenkgError
from graph.record import Record
from ingest.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "eval"
REAL = ROOT.parent / "shared" / "corpus" / "real"
REAL_GOLD = ROOT / "bench" / "real"
RESULTS = ROOT / "bench" / "results" / "accuracy.json"
FORMATS = (".txt", ".html", ".docx", ".pdf")
DOC_FIELDS = ("doc_number", "title", "date", "region")


@dataclass
class Score:
    """Counts summed over documents."""

    pairs_found: int = 0
    pairs_gold: int = 0
    pairs_right: int = 0
    roles_right: int = 0
    deadlines_gold: int = 0
    deadlines_right: int = 0
    members_union: int = 0
    members_right: int = 0
    seats_found: int = 0
    seats_gold: int = 0
    seats_right: int = 0
    tasks_found: int = 0
    tasks_gold: int = 0
    refused: int = 0
    fields_gold: int = 0
    fields_right: int = 0
    coverage_docs: int = 0
    coverage_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name, value in vars(other).items():
            if name == "misses":
                self.misses.extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    def summary(self) -> dict[str, float]:
        p = _ratio(self.pairs_right, self.pairs_found)
        r = _ratio(self.pairs_right, self.pairs_gold)
        rp = _ratio(self.roles_right, self.pairs_found)
        rr = _ratio(self.roles_right, self.pairs_gold)
        mp = _ratio(self.seats_right, self.seats_found)
        mr = _ratio(self.seats_right, self.seats_gold)
        return {
            "task_unit_precision": p,
            "task_unit_recall": r,
            "task_unit_f1": _f1(p, r),
            "role_accuracy": _ratio(self.roles_right, self.pairs_right),
            "role_precision": rp,
            "role_recall": rr,
            "role_f1": _f1(rp, rr),
            "deadline_accuracy": _ratio(self.deadlines_right, self.deadlines_gold),
            "member_accuracy": _ratio(self.members_right, self.members_union),
            "member_precision": mp,
            "member_recall": mr,
            "member_f1": _f1(mp, mr),
            "document_field_accuracy": _ratio(self.fields_right, self.fields_gold),
            "coverage_accuracy": _ratio(self.coverage_right, self.coverage_docs),
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def _short(title: str, limit: int = 20) -> str:
    """A task title cut short, so that misses never copy a document's text."""
    return title if len(title) <= limit else title[:limit] + "…"


def _cut(seat: tuple[Any, ...]) -> tuple[Any, ...]:
    """A found seat with its names cut short (a misread member line can be a whole sentence)."""
    return tuple(_short(x) if isinstance(x, str) else x for x in seat)


def _norm(title: str) -> str:
    return re.sub(r"[\s，,。；;：:、“”\"《》（）()]", "", title)


def align(gold_titles: list[str], found_titles: list[str]) -> dict[int, int]:
    """Map found task index → gold task index, by equal titles or a shared opening.

    >>> align(["推进园区扩区调规", "强化招商引资"], ["强化招商引资", "推进园区扩区调规工作"])
    {0: 1, 1: 0}
    """
    out: dict[int, int] = {}
    taken: set[int] = set()
    for strict in (True, False):
        for fi, ft in enumerate(found_titles):
            if fi in out:
                continue
            f = _norm(ft)
            for gi, gt in enumerate(gold_titles):
                g = _norm(gt)
                if gi in taken:
                    continue
                same = f == g if strict else (f.startswith(g) or g.startswith(f) or f[:8] == g[:8])
                if same and min(len(f), len(g)) >= 4:
                    out[fi] = gi
                    taken.add(gi)
                    break
    return out


def _seats(groups: Iterable[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    """Every seat of every group: a person (name, role, units, chain) or a unit (unit, role)."""
    seats: Counter[tuple[Any, ...]] = Counter()
    for g in groups:
        for m in g.get("members", []):
            seats["person", m["name"], m["role"], frozenset(m["units"]), m.get("chain")] += 1
        for c in g.get("collective", []):
            seats["seat", c["unit"], c["role"]] += 1
    return seats


def _members(groups: Iterable[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return set(_seats(groups))


def _found_groups(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "members": [
                {
                    "name": m.name,
                    "role": m.role,
                    "units": [p.unit for p in m.positions if p.unit],
                    "chain": m.chain,
                }
                for m in g.members
            ],
            "collective": [
                {"unit": c.unit, "role": c.role or "成员"} for c in g.collective_members
            ],
            "office_unit": g.office_unit,
            "name": g.name,
        }
        for g in record.groups
    ]


def _coverage(task_units: set[str], groups: list[dict[str, Any]]) -> tuple[set[str], set[str]]:
    seated = {u for g in groups for m in g.get("members", []) for u in m["units"]}
    seated |= {c["unit"] for g in groups for c in g.get("collective", [])}
    if not groups:
        return set(), set()
    return task_units - seated, seated - task_units


def score_document(record: Record, gold: dict[str, Any], name: str) -> Score:
    """Scores of one extracted document against its gold file."""
    s = Score()
    gold_tasks = gold["tasks"]
    found = record.tasks
    s.tasks_found, s.tasks_gold = len(found), len(gold_tasks)
    mapping = align([t["title"] for t in gold_tasks], [t.title for t in found])
    gold_pairs = {(gi, u): r for gi, t in enumerate(gold_tasks) for u, r in t["units"]}
    s.pairs_gold = len(gold_pairs)
    for fi, task in enumerate(found):
        gi = mapping.get(fi)
        for unit in task.units:
            s.pairs_found += 1
            role = gold_pairs.get((gi, unit.name)) if gi is not None else None
            if role is None:
                s.misses.append(f"{name}: extra {_short(task.title)!r} → {_short(unit.name)}")
                continue
            s.pairs_right += 1
            if role == unit.role.value:
                s.roles_right += 1
            else:
                s.misses.append(
                    f"{name}: role {_short(task.title)!r} → {_short(unit.name)}"
                    f" {unit.role.value}≠{role}"
                )
    found_pairs = {
        (mapping[fi], u.name) for fi, t in enumerate(found) if fi in mapping for u in t.units
    }
    for gi, unit in gold_pairs:
        if (gi, unit) not in found_pairs:
            s.misses.append(f"{name}: missing {gold_tasks[gi]['title']!r} → {unit}")
    by_gold = {gi: found[fi] for fi, gi in mapping.items()}
    for gi, t in enumerate(gold_tasks):
        if "deadline" in t:
            s.deadlines_gold += 1
            got = by_gold[gi].deadline if gi in by_gold else None
            if got == t["deadline"]:
                s.deadlines_right += 1
            else:
                s.misses.append(
                    f"{name}: deadline {t['title']!r} {_short(str(got))}≠{t['deadline']}"
                )
    groups = _found_groups(record)
    want_all, got_all = _seats(gold["groups"]), _seats(groups)
    s.seats_gold, s.seats_found = want_all.total(), got_all.total()
    s.seats_right = (want_all & got_all).total()
    want, got_seats = set(want_all), set(got_all)
    s.members_union = len(want | got_seats)
    s.members_right = len(want & got_seats)
    for seat in sorted(map(str, want - got_seats)):
        s.misses.append(f"{name}: member missing {seat}")
    for seat in sorted(map(str, map(_cut, got_seats - want))):
        s.misses.append(f"{name}: member extra {seat}")
    for g in gold["groups"]:
        s.fields_gold += 2
        match = next((x for x in groups if x["name"] == g["name"]), None)
        if match is not None:
            s.fields_right += 1 + (match["office_unit"] == g.get("office_unit"))
        else:
            s.misses.append(f"{name}: group {g['name']!r} not found as such")
    doc = record.document.model_dump()
    for key, value in gold.get("document", {}).items():
        s.fields_gold += 1
        if doc.get(key) == value:
            s.fields_right += 1
        else:
            got_field = None if doc.get(key) is None else _short(str(doc.get(key)), 60)
            s.misses.append(f"{name}: document {key} {got_field!r}≠{value!r}")
    gold_units = {u for t in gold_tasks for u, _ in t["units"]}
    found_units = {u.name for t in found for u in t.units}
    s.coverage_docs = 1
    if _coverage(gold_units, gold["groups"]) == _coverage(found_units, groups):
        s.coverage_right = 1
    else:
        s.misses.append(f"{name}: coverage answers differ")
    return s


def documents(folder: Path = EVAL, gold_dir: Path | None = None) -> list[tuple[Path, Path]]:
    """(document, gold file) pairs: documents of ``folder``, gold beside them or in ``gold_dir``."""
    out = []
    for gold in sorted((gold_dir or folder).glob("*.gold.json")):
        stem = gold.name.removesuffix(".gold.json")
        doc = next(
            (folder / (stem + ext) for ext in FORMATS if (folder / (stem + ext)).exists()), None
        )
        if doc is not None:
            out.append((doc, gold))
    return out


def evaluate(folder: Path = EVAL, gold_dir: Path | None = None) -> dict[str, Any]:
    """Score every document of ``folder`` against its gold file (beside it, or in ``gold_dir``).

    Returns the number of documents and of refused ones, the micro-averaged totals (with the
    task and seat counts), the per-document scores and the misses.
    """
    saved = os.environ.pop("ZHENKG_ALIASES", None)  # the bundled roster only
    try:
        return _evaluate(folder, gold_dir)
    finally:
        if saved is not None:
            os.environ["ZHENKG_ALIASES"] = saved


def _counts(s: Score) -> dict[str, int]:
    keys = ("tasks_found", "tasks_gold", "seats_found", "seats_gold", "refused")
    return {k: getattr(s, k) for k in keys}


def _evaluate(folder: Path, gold_dir: Path | None) -> dict[str, Any]:
    total = Score()
    per_doc: dict[str, dict[str, Any]] = {}
    for doc, gold_path in documents(folder, gold_dir):
        gold = json.loads(gold_path.read_text("utf-8"))
        refused = 0
        try:
            record = extract_file(doc)
        except ZhenkgError as exc:
            record = Record.model_validate({"document": {}})
            refused = 1
            total.misses.append(f"{doc.name}: refused: {exc}")
        s = score_document(record, gold, doc.name)
        s.refused = refused
        per_doc[doc.name] = {**_counts(s), **s.summary()}
        total.add(s)
    return {
        "documents": len(per_doc),
        "refused": total.refused,
        "totals": {**total.summary(), **_counts(total)},
        "per_document": per_doc,
        "misses": total.misses,
    }


def _line(name: str, r: dict[str, Any], refused: str) -> str:
    return (
        f"  {name:<28} tasks {r['tasks_found']:>3}/{r['tasks_gold']:<3}"
        f"  pairs P {r['task_unit_precision']:.2f} R {r['task_unit_recall']:.2f}"
        f" F1 {r['task_unit_f1']:.2f}  role F1 {r['role_f1']:.2f}"
        f"  members P {r['member_precision']:.2f} R {r['member_recall']:.2f}"
        f" F1 {r['member_f1']:.2f}  {refused}"
    ).rstrip()


def report(title: str, result: dict[str, Any]) -> list[str]:
    """One line per document and the micro-averaged totals of one set."""
    lines = [f"{title}: {result['documents']} documents, {result['refused']} refused"]
    for name, r in result["per_document"].items():
        lines.append(_line(name, r, "refused" if r["refused"] else ""))
    lines.append(_line("total (micro)", result["totals"], f"{result['refused']} refused"))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--eval", type=Path, default=EVAL, help="folder of documents + gold")
    parser.add_argument("--real", type=Path, default=REAL, help="folder of the real documents")
    parser.add_argument(
        "--real-gold", type=Path, default=REAL_GOLD, help="gold files of the real documents"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--misses", action="store_true", help="also print the misses on the real documents"
    )
    args = parser.parse_args(argv)
    result = evaluate(args.eval)
    print(
        json.dumps(
            {"documents": result["documents"], **result["totals"]}, ensure_ascii=False, indent=2
        )
    )
    for miss in result["misses"]:
        print("  " + miss)
    print("\n".join(report(f"evaluation set ({args.eval})", result)))
    if args.real.is_dir():
        real = evaluate(args.real, args.real_gold)
        result["real"] = real
        print("\n".join(report(f"real documents ({args.real})", real)))
        if args.misses:
            for miss in real["misses"]:
                print("  " + miss)
    else:
        print(f"real documents: no folder {args.real}, skipped")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
