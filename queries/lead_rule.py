"""The one lead rule (牵头): who leads a task, stated or inferred.

A stated 牵头单位 leads. A task that names only 责任单位 (or only 配合单位) is led by the first
unit in the plan's order, as county supervision sheets (督办) read it, and the lead is then
*inferred*. Version diffs (:mod:`queries.diff`), overdue lists (:mod:`queries.progress`) and
every output (``api.leads``) apply this one function. It imports nothing, so a question
command that shows leads loads no more than it asks.
"""

from __future__ import annotations

from collections.abc import Sequence


def split_lead(units: Sequence[tuple[str, str]]) -> tuple[list[str], list[str], bool]:
    """(lead units, the other units, whether the lead was inferred) of a task.

    Stated 牵头单位 lead; without one, the first unit leads (``inferred`` is then True).

    >>> split_lead([("县甲局", "responsible"), ("县乙局", "responsible")])
    (['县甲局'], ['县乙局'], True)
    >>> split_lead([("县乙局", "support"), ("县甲局", "lead")])
    (['县甲局'], ['县乙局'], False)
    """
    leads = [n for n, role in units if role == "lead"]
    if leads:
        return leads, [n for n, role in units if role != "lead"], False
    names = [n for n, _ in units]
    return names[:1], names[1:], bool(names)
