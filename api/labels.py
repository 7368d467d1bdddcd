"""The Chinese a planner reads for every English key and enum value zhenkg keeps in its data.

JSON keys and API enum values stay English (other tools read them); pages, CLI tables, CSV and
XLSX show these labels instead. One place, so that every output says the same thing.

>>> role_label("lead"), tier_label("services"), status_label("missing")
('牵头', '配套', '缺失')
>>> role_label("lead", inferred=True)
'牵头（按排序推定）'
"""

from __future__ import annotations

from graph.schema import Label

ROLE = {"lead": "牵头", "support": "配合", "responsible": "责任"}
INFERRED_LEAD = "牵头（按排序推定）"
TIER = {"upstream": "上游", "midstream": "中游", "downstream": "下游", "services": "配套"}
TIERS = list(TIER.items())
STATUS = {"missing": "缺失", "thin": "薄弱", "present": "已有"}
REASON = {"task match": "任务提及", "fallback": "兜底（招商任务）"}
NODE = {
    Label.UNIT.value: "单位",
    Label.PERSON.value: "人员",
    Label.TASK.value: "任务",
    Label.GROUP.value: "领导小组",
    Label.DOCUMENT.value: "文件",
    Label.SECTION.value: "章节",
    Label.MECHANISM.value: "工作机制",
    Label.TOWN.value: "专业镇",
    Label.CHAIN.value: "产业链",
    Label.CHAIN_NODE.value: "产业链环节",
    Label.FIRM.value: "企业",
    Label.PROGRESS.value: "进展",
    "edges": "关系",
}
EMPTY_STORE = "尚未导入文件"
DEADLINE_KIND = {
    "date": "限期",
    "recurring": "定期",
    "ongoing": "长期",
    "unknown": "未识别",
    "none": "未定时限",
}


def role_label(role: str | None, inferred: bool = False) -> str:
    """牵头 / 配合 / 责任 for a role value; an inferred lead says so."""
    if role == "lead" and inferred:
        return INFERRED_LEAD
    return ROLE.get(role or "", role or "")


def tier_label(tier: str | None) -> str:
    """上游 / 中游 / 下游 / 配套."""
    return TIER.get(tier or "", tier or "")


def status_label(status: str | None) -> str:
    """缺失 / 薄弱 / 已有."""
    return STATUS.get(status or "", status or "")


def node_label(label: str | None) -> str:
    """The Chinese name of a node type (单位, 任务 …), or ``edges`` → 关系."""
    return NODE.get(label or "", label or "")


def deadline_kind_label(kind: str | None) -> str:
    """限期 / 定期 / 长期 / 未识别 / 未定时限 for a deadline kind (``queries.progress``)."""
    return DEADLINE_KIND.get(kind or "", kind or "")
