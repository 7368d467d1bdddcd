"""Parser shortcuts (issue 12, ingest speed) give what the general code they skip would give.

Each test holds one shortcut to the form it replaced: a cheap scan that rules texts out before
a costly regex, an answer kept per name against a fresh one.
"""

from __future__ import annotations

import random
from pathlib import Path

from ingest.normalise import _TONED, PINYIN, PINYIN_HINT
from ingest.resolve import Roster, _key

DATA = Path(__file__).resolve().parent.parent / "data"


def _texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(DATA.rglob("*.txt"))]


def test_a_text_the_pinyin_hint_rules_out_holds_no_pinyin() -> None:
    rng = random.Random(12)
    alphabet = ["(", "（", ")", "）", " ", "\n", "a", "z", "ü", "5", "1", "镇", "發", "。", *_TONED]
    texts = ["".join(rng.choices(alphabet, k=rng.randint(1, 30))) for _ in range(20000)]
    texts += ["专业鎮(zhèn)", "镇(zhen4)长", "人才（ réncái ）", "县(以下简称)", *_texts()]
    held = 0
    for text in texts:
        if PINYIN.search(text):
            held += 1
            assert PINYIN_HINT.search(text), text
    assert held > 50  # the random texts do hold pinyin


def test_known_kept_per_name_equals_a_fresh_look_up() -> None:
    roster = Roster.bundled()
    names = roster.names()
    names += [f"{n[:1]} {n[1:]}" for n in names[:200]]  # padded as a page may write it
    names += [n.replace("（", "(").replace("）", ")") for n in names if "（" in n]
    names += ["县城建局", "县工科局", "", " ", "加强监管", "泽州县工信局"]
    for _ in range(2):  # the second round answers from what the first kept
        for name in names:
            fresh = _key(name)
            want = (
                fresh in roster.canonicals
                or fresh in roster.aliases
                or fresh in roster.collective
                or any(fresh in table for table in roster.regional.values())
            )
            assert roster.known(name) is want, name
