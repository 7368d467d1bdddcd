"""Headings read by the duty shortcut give what the long way gives.

Issue 12 (ingest speed): a heading that names no known unit and holds neither a role word, a
closing bracket nor 等 is answered without reading it as a duty clause or a unit list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.duties
from ingest.duties import _may_list_units, heading_duties
from ingest.structure import headings

TITLES = [
    "县发改局牵头的工作",
    "县人社局牵头，县财政局配合",
    "县工信局负责的专业镇创建工作",
    "县工业和信息化局（3项）",
    "海关总署、水利部",
    "县融媒体中心",
    "加强组织领导",
    "强化产业集聚",
    "由人行甲县支行、县金融办配合",
    "水利局等部门",
    "（县财政局）",
    "加快发展（2025年）",
    "",
]


def _sample_titles() -> list[str]:
    root = Path(__file__).parents[2]
    text = (root / "data/samples/zezhou-2023-17.txt").read_text("utf-8")
    return [h.title for h in headings(text)]


@pytest.mark.parametrize("region", [None, "泽州县"])
def test_headings_answered_early_equal_the_long_way(
    region: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = TITLES + _sample_titles()
    short = [heading_duties(t, 0, len(t), region) for t in titles]
    monkeypatch.setattr(ingest.duties, "_may_list_units", lambda title: True)
    assert short == [heading_duties(t, 0, len(t), region) for t in titles]
    assert any(short), "some headings name units"
    assert not all(map(_may_list_units, titles)), "some headings take the shortcut"
