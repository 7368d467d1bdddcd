"""Investment targets (招商目标清单) as planners read them: one sentence on what the list rests
on, table rows for the CLI and the chain page, and the workbook (环节, 动作, 企业, 所在地, 来源,
责任单位, 责任人).

Every firm comes from a register in the store, with its file and row; when the store holds no
register of another region the list is empty and :func:`targets_text` says so — no firm is
made up to fill it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.basis import register_name
from api.render import first_few
from queries.targets import Target, TargetReport

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "招商目标清单"
FILE = "招商目标清单.xlsx"
COLUMNS = ["环节", "动作", "企业", "所在地", "来源", "责任单位", "责任人"]
SCALE = {True: "规上", False: "规下", None: ""}
SHOWN = 50  # targets the chain page and the CLI table show first; the workbook holds them all


PAGE_HINT = "在本页导入其他地区的企业名录（名录中填“地区”列）后再看。"
CLI_HINT = "导入其他地区的企业名录（zhenkg firms import 文件 --region 地区）后再看。"


def targets_text(report: TargetReport, hint: str = PAGE_HINT) -> str:
    """One Chinese sentence: what the list rests on, or why it is empty.

    >>> r = TargetReport(chain="chain:foundry", town="town:泽州县:泽州铸造", region="泽州县",
    ...     outcome="no_other_register", gaps=3)
    >>> targets_text(r)[:35]
    '库中只有本县（泽州县）的企业名录，没有其他地区的名录：无法列出招商目标'
    """
    here = report.region or "本县"
    if report.outcome == "no_other_register":
        return (
            f"库中只有本县（{here}）的企业名录，没有其他地区的名录：无法列出招商目标，"
            f"本工具不编造企业。{hint}"
        )
    where = first_few(report.regions, "地区")
    if report.outcome == "no_gaps":
        return f"{here}这一链条没有缺口，无需招商目标（已对照 {where} 的企业名录）。"
    if report.outcome == "no_firms":
        return (
            f"{where} 的企业名录中没有企业在{here}的 {report.gaps} 个缺口环节上，无法列出招商目标。"
        )
    uncovered = (
        f"；{len(report.uncovered)} 个缺口环节这些名录中没有企业" if report.uncovered else ""
    )
    return (
        f"{here}的 {report.gaps} 个缺口环节，在 {where} 的企业名录中找到 {report.total} 家次企业"
        f"{uncovered}。每家企业来自所列名录的行，不是推荐名单。"
    )


def location(t: Target) -> str:
    """所在地: region, town and the place the row gives."""
    return " ".join(p for p in (t.region, t.town, t.place) if p)


def source(t: Target) -> str:
    """来源: the register and row, and the report the row cites."""
    row = f"第 {t.source.row} 行" if t.source.row is not None else ""
    cited = f"（{t.source.reference}）" if t.source.reference else ""
    return f"{register_name(t.source.file)} {row}{cited}".strip()


def unit_name(t: Target) -> str:
    """责任单位: the gap's lead unit."""
    unit = t.owner.unit
    return (unit.name or unit.id) if unit else ""


def person_name(t: Target) -> str:
    """责任人: the chain leader or the head of the lead unit."""
    person = t.owner.person
    return (person.name or person.id) if person else ""


def _some(names: list[str], limit: int) -> str:
    more = f" 等 {len(names)} 个" if len(names) > limit else ""
    return "、".join(names[:limit]) + more


def task_numbers(t: Target, limit: int = 3) -> str:
    """The gap's source tasks by number (兜底 when they are the plan's 招商 tasks)."""
    numbers = _some([x.number or x.title or x.id for x in t.owner.tasks], limit)
    return f"兜底：{numbers}" if numbers and t.owner.reason == "fallback" else numbers


def partners(t: Target, names: dict[str, str], limit: int = 3) -> str:
    """The county's present links the firm would supply or buy from, by name."""
    return _some([names.get(n, n) for n in dict.fromkeys(t.supplies + t.buys_from)], limit)


def target_rows(report: TargetReport, names: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the CLI table; ``names`` gives link names for the partner links."""
    header = ["序号", "环节", "动作", "得分", "企业", "规模", "所在地", "衔接本县环节", "来源"]
    header += ["责任单位", "责任人", "来源任务"]
    rows = []
    for t in report.targets:
        rows.append(
            [
                str(t.rank),
                t.link_name,
                t.action,
                f"{t.score:.2f}",
                t.name,
                SCALE[t.scale],
                location(t),
                partners(t, names),
                source(t),
                unit_name(t),
                person_name(t),
                task_numbers(t),
            ]
        )
    return header, rows


def targets_sheet(ws: Worksheet, report: TargetReport) -> None:
    """Fill ``ws`` with the 招商目标清单; an empty list keeps its reason in the first row."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.title = SHEET
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for t in report.targets:
        ws.append(
            [
                t.link_name,
                t.action,
                t.name,
                location(t),
                source(t),
                unit_name(t),
                person_name(t),
            ]
        )
    if not report.targets:
        ws.append([targets_text(report)])
    for column, width in zip("ABCDEFG", (22, 8, 30, 30, 40, 24, 12), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def targets_xlsx(report: TargetReport) -> bytes:
    """The 招商目标清单 as an ``.xlsx`` file."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from api.xlsx import workbook_bytes

    wb = Workbook()
    active = wb.active
    assert isinstance(active, Worksheet)
    targets_sheet(active, report)
    return workbook_bytes(wb)
