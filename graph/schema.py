"""Node labels and relationship types of the zhenkg graph, and the stable node ids.

Labels are ``PascalCase`` and relationship types ``UPPER_SNAKE``; every store takes them from
here, never from user input, so a label can be spliced into Cypher safely.

Stable ids make loading idempotent: the same fact always lands on the same node.

>>> unit_id("泽州县", "县工业和信息化局")
'unit:泽州县:县工业和信息化局'
>>> Label.UNIT.value, Rel.RESPONSIBLE_FOR.value
('Unit', 'RESPONSIBLE_FOR')
"""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """Node labels."""

    DOCUMENT = "Document"
    SECTION = "Section"
    TASK = "Task"
    MECHANISM = "Mechanism"
    UNIT = "Unit"
    PERSON = "Person"
    GROUP = "Group"
    TOWN = "Town"
    CHAIN = "Chain"
    CHAIN_NODE = "ChainNode"
    FIRM = "Firm"
    PROGRESS = "Progress"  # a bureau's report on a task (进展 / 完成情况), from a 任务分解表


class Rel(StrEnum):
    """Relationship types (direction in the comment)."""

    CONTAINS = "CONTAINS"  # Document -> Section | Task | Mechanism ; Section -> Task
    ISSUED_BY = "ISSUED_BY"  # Document -> Unit
    CITES = "CITES"  # Document -> Document
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"  # Unit -> Task {role, order, surface, span}
    HOLDS = "HOLDS"  # Person -> Unit {title}: the person holds a position in the unit
    MEMBER_OF = "MEMBER_OF"  # Person | Unit -> Group {role}; a Unit for collective members
    OFFICE_AT = "OFFICE_AT"  # Group -> Unit: where the group's office sits
    ESTABLISHES = "ESTABLISHES"  # Document -> Group
    NAMES_TOWN = "NAMES_TOWN"  # Document -> Town
    FEATURES = "FEATURES"  # Town -> Chain
    HAS_NODE = "HAS_NODE"  # Chain -> ChainNode
    SUPPLIES = "SUPPLIES"  # ChainNode -> ChainNode (upstream supplies downstream)
    OPERATES_IN = "OPERATES_IN"  # Firm -> ChainNode
    LOCATED_IN = "LOCATED_IN"  # Firm -> Town
    ADDRESSES = "ADDRESSES"  # Task -> ChainNode {span, keyword}
    LEADS_CHAIN = "LEADS_CHAIN"  # Person -> Chain (链长, chain leader)
    HAS_PROGRESS = "HAS_PROGRESS"  # Task -> Progress {origin}: a dated report on the task


class Role(StrEnum):
    """How a unit stands to a task."""

    LEAD = "lead"  # 牵头单位
    SUPPORT = "support"  # 配合单位 / 协同单位
    RESPONSIBLE = "responsible"  # 责任单位, no lead/support distinction


class UnitKind(StrEnum):
    """What sort of unit a node is."""

    BUREAU = "bureau"  # an ordinary government body
    GOVERNMENT = "government"  # 县人民政府, 县人民政府办公室
    COLLECTIVE = "collective"  # 各乡镇人民政府, 县直各有关单位
    UPPER = "upper"  # a body of the level above (市生态环境局泽州分局 in a county plan)


def unit_id(region: str, name: str) -> str:
    """Id of a unit, scoped by the region that issued the document naming it."""
    return f"unit:{region}:{name}"


def person_id(region: str, name: str) -> str:
    """Id of a person, scoped by region (namesakes in two counties are two people)."""
    return f"person:{region}:{name}"


def document_id(key: str) -> str:
    """Id of a document from its identity key (number and region, or content hash)."""
    return f"doc:{key}"


def task_id(doc_key: str, local_id: str) -> str:
    """Id of a task: the document's key and the task's id within the document."""
    return f"task:{doc_key}:{local_id}"


def section_id(doc_key: str, local_id: str) -> str:
    """Id of a heading that encloses tasks."""
    return f"section:{doc_key}:{local_id}"


def mechanism_id(doc_key: str, index: int) -> str:
    """Id of a working mechanism (工作机制) of a document."""
    return f"mechanism:{doc_key}:{index}"


def group_id(region: str, name: str) -> str:
    """Id of a leading group or task force."""
    return f"group:{region}:{name}"


def town_id(region: str, name: str) -> str:
    """Id of a specialised town (专业镇)."""
    return f"town:{region}:{name}"


def chain_id(key: str) -> str:
    """Id of an industry chain template."""
    return f"chain:{key}"


def chain_node_id(chain: str, node: str) -> str:
    """Id of one link of an industry chain."""
    return f"chainnode:{chain}:{node}"


def firm_id(name: str) -> str:
    """Id of an enterprise, by its registered name."""
    return f"firm:{name}"


def progress_id(task: str, version: int | None, reported_on: str) -> str:
    """Id of a progress report: the task, the document version it reports on, and its date."""
    return f"progress:{task}@{version or 1}:{reported_on}"


def unit_kind(name: str, region: str | None = None) -> UnitKind:
    """What sort of unit a canonical name denotes, relative to the issuing region.

    >>> unit_kind("各乡镇人民政府").value, unit_kind("市生态环境局泽州分局", "泽州县").value
    ('collective', 'upper')
    """
    if name.startswith("各") or name.endswith(("有关单位", "各单位", "成员单位", "有关部门")):
        return UnitKind.COLLECTIVE
    if name.endswith(("人民政府", "人民政府办公室")):
        return UnitKind.GOVERNMENT
    if region and region.endswith(("县", "区", "旗")) and name.startswith(("市", "省")):
        return UnitKind.UPPER
    if region and region.endswith("市") and name.startswith("省"):
        return UnitKind.UPPER
    return UnitKind.BUREAU
