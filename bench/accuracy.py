"""Extraction accuracy on the held-out evaluation set (``tests/data/eval``).

Run ``python -m bench.accuracy``: every ``<doc>.(txt|html|docx)`` with a hand-written
``<doc>.gold.json`` is extracted with the bundled roster and scored:

- task–unit pairs: precision, recall and F1 over (task, canonical unit) pairs, predicted tasks
  aligned to gold tasks by title;
- role accuracy: the share of correctly found pairs whose role (lead/support/responsible) is right;
- deadline accuracy: over gold tasks that state one;
- member accuracy: named members (name, role, units held, chain) and collective seats (unit,
  role) as a set, |gold ∩ found| / |gold ∪ found|;
- document fields and coverage answers (task units without a group seat, group units without a
  task) per document.

The totals and per-document scores are printed and written to ``bench/results/accuracy.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import ZhenkgError
from graph.record import Record
from ingest.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "eval"
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
        return {
            "task_unit_precision": p,
            "task_unit_recall": r,
            "task_unit_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "role_accuracy": _ratio(self.roles_right, self.pairs_right),
            "deadline_accuracy": _ratio(self.deadlines_right, self.deadlines_gold),
            "member_accuracy": _ratio(self.members_right, self.members_union),
            "document_field_accuracy": _ratio(self.fields_right, self.fields_gold),
            "coverage_accuracy": _ratio(self.coverage_right, self.coverage_docs),
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


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


def _members(groups: Iterable[dict[str, Any]]) -> set[tuple[Any, ...]]:
    seats: set[tuple[Any, ...]] = set()
    for g in groups:
        for m in g.get("members", []):
            seats.add(("person", m["name"], m["role"], frozenset(m["units"]), m.get("chain")))
        for c in g.get("collective", []):
            seats.add(("seat", c["unit"], c["role"]))
    return seats


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
    mapping = align([t["title"] for t in gold_tasks], [t.title for t in found])
    gold_pairs = {(gi, u): r for gi, t in enumerate(gold_tasks) for u, r in t["units"]}
    s.pairs_gold = len(gold_pairs)
    for fi, task in enumerate(found):
        gi = mapping.get(fi)
        for unit in task.units:
            s.pairs_found += 1
            role = gold_pairs.get((gi, unit.name)) if gi is not None else None
            if role is None:
                s.misses.append(f"{name}: extra {task.title!r} → {unit.name}")
                continue
            s.pairs_right += 1
            if role == unit.role.value:
                s.roles_right += 1
            else:
                s.misses.append(
                    f"{name}: role {task.title!r} → {unit.name} {unit.role.value}≠{role}"
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
                s.misses.append(f"{name}: deadline {t['title']!r} {got}≠{t['deadline']}")
    groups = _found_groups(record)
    want, got_seats = _members(gold["groups"]), _members(groups)
    s.members_union = len(want | got_seats)
    s.members_right = len(want & got_seats)
    for seat in sorted(map(str, want - got_seats)):
        s.misses.append(f"{name}: member missing {seat}")
    for seat in sorted(map(str, got_seats - want)):
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
            s.misses.append(f"{name}: document {key} {doc.get(key)!r}≠{value!r}")
    gold_units = {u for t in gold_tasks for u, _ in t["units"]}
    found_units = {u.name for t in found for u in t.units}
    s.coverage_docs = 1
    if _coverage(gold_units, gold["groups"]) == _coverage(found_units, groups):
        s.coverage_right = 1
    else:
        s.misses.append(f"{name}: coverage answers differ")
    return s


def documents(folder: Path = EVAL) -> list[tuple[Path, Path]]:
    """(document, gold file) pairs of the evaluation set."""
    out = []
    for gold in sorted(folder.glob("*.gold.json")):
        stem = gold.name.removesuffix(".gold.json")
        doc = next(
            (folder / (stem + ext) for ext in FORMATS if (folder / (stem + ext)).exists()), None
        )
        if doc is not None:
            out.append((doc, gold))
    return out


def evaluate(folder: Path = EVAL) -> dict[str, Any]:
    """Score every document of ``folder``; the totals, per-document scores and misses."""
    saved = os.environ.pop("ZHENKG_ALIASES", None)  # the bundled roster only
    try:
        return _evaluate(folder)
    finally:
        if saved is not None:
            os.environ["ZHENKG_ALIASES"] = saved


def _evaluate(folder: Path) -> dict[str, Any]:
    total = Score()
    per_doc: dict[str, dict[str, float]] = {}
    for doc, gold_path in documents(folder):
        gold = json.loads(gold_path.read_text("utf-8"))
        try:
            record = extract_file(doc)
        except ZhenkgError as exc:
            record = Record.model_validate({"document": {}})
            total.misses.append(f"{doc.name}: {exc}")
        s = score_document(record, gold, doc.name)
        per_doc[doc.name] = s.summary()
        total.add(s)
    return {
        "documents": len(per_doc),
        "totals": total.summary(),
        "per_document": per_doc,
        "misses": total.misses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--eval", type=Path, default=EVAL, help="folder of documents + gold")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    result = evaluate(args.eval)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(
        json.dumps(
            {"documents": result["documents"], **result["totals"]}, ensure_ascii=False, indent=2
        )
    )
    for miss in result["misses"]:
        print("  " + miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
