"""What a chain's gaps rest on: the enterprise registers loaded, and whether each is a sample.

A gap is only as good as the register behind it: the bundled 泽州 register lists 13 firms from
public reports, while the county counted 199 foundries, so "0 家" there means "none in the
sample". Every gap view states this basis (pages, CLI, notebook).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from api.render import FEW, first_few
from graph.schema import Label
from queries.service import Questions

REGISTERS = Path(__file__).resolve().parents[1] / "data" / "firms"
SAMPLE_WORDS = ("sample", "not a census", "样本", "非普查", "不是普查")
PREFIX = "register:"


class RegisterBasis(BaseModel):
    """One enterprise register in the store."""

    model_config = ConfigDict(extra="forbid")

    file: str
    firms: int
    sources: int = Field(description="distinct source addresses its rows cite")
    years: list[int] = Field(default_factory=list)
    sample: bool = Field(description="a partial sample (its header says so), not a census")
    note: str | None = Field(default=None, description="the register's header comment, if any")


def header_note(file: str, folder: Path = REGISTERS) -> str | None:
    """The ``#`` comment at the top of a bundled register file, if there is one."""
    path = folder / file
    if not path.is_file() or path.suffix.lower() != ".csv":
        return None
    with path.open(encoding="utf-8-sig") as f:
        first = f.readline().strip()
    return first.lstrip("#").strip() or None if first.startswith("#") else None


def register_basis(q: Questions) -> list[RegisterBasis]:
    """The registers behind the firm counts, by file name (any store); kept on the embedded
    store's snapshot, since it reads every firm (53k at province scale, ~1 s) and the chain
    pages and ``gaps`` quote it each time."""
    return q.snapshot_answer("register_basis", lambda: _register_basis(q))


def _register_basis(q: Questions) -> list[RegisterBasis]:
    by_file: dict[str, list[dict[str, object]]] = {}
    for n in q.nodes(Label.FIRM):
        source = str(n.get("source") or "")
        file = source[len(PREFIX) :] if source.startswith(PREFIX) else source or "—"
        by_file.setdefault(file, []).append(n)
    out = []
    for file, firms in sorted(by_file.items()):
        refs = {
            r.strip() for f in firms for r in str(f.get("reference") or "").split(";") if r.strip()
        }
        years = sorted({int(str(f["year"])) for f in firms if str(f.get("year") or "").isdigit()})
        note = header_note(file)
        flagged = f"{file} {note or ''}".lower()
        out.append(
            RegisterBasis(
                file=file,
                firms=len(firms),
                sources=len(refs),
                years=years,
                sample=any(w in flagged for w in SAMPLE_WORDS),
                note=note,
            )
        )
    return out


BUNDLED = {"zezhou-sample.csv": "泽州企业名录样本（公开报道整理）"}


def register_name(file: str) -> str:
    """How a page names a register: the bundled sample by what it is, any other by its file."""
    return BUNDLED.get(file, file)


def _years(years: list[int]) -> str:
    if len(years) > 1:
        return f"，{years[0]}–{years[-1]} 年"
    return f"，{years[0]} 年" if years else ""


def basis_text(registers: list[RegisterBasis]) -> str:
    """One Chinese sentence naming the registers behind the firm counts (the first few of
    many, with the sum of their firms: :func:`api.render.first_few`).

    >>> basis_text([RegisterBasis(file="a.csv", firms=13, sources=5, sample=True)])
    '企业数据：a.csv，13 家企业，引用 5 个公开来源；这是部分样本，不是普查：“0 家”指样本中没有，不等于当地没有。'
    >>> many = [RegisterBasis(file=f"c{i}.csv", firms=10, sources=1, years=[2020 + i], sample=False)
    ...         for i in range(4)]
    >>> basis_text(many)
    '企业数据：c0.csv、c1.csv、c2.csv 等 4 个名录，共 40 家企业，2020–2023 年。'
    >>> basis_text([])
    '企业数据：尚未导入企业名录，所有环节都按 0 家企业计算。'
    """
    if not registers:
        return "企业数据：尚未导入企业名录，所有环节都按 0 家企业计算。"
    if len(registers) > FEW:  # a province's hundred registers: a few named, the firms summed
        names = first_few([register_name(r.file) for r in registers], "名录")
        years = sorted({y for r in registers for y in r.years})
        parts = [  # no sum of sources: registers can cite the same report
            f"{names}，共 {sum(r.firms for r in registers)} 家企业" + _years(years)
        ]
    else:
        parts = [
            f"{register_name(r.file)}，{r.firms} 家企业，引用 {r.sources} 个公开来源"
            + _years(r.years)
            for r in registers
        ]
    text = "企业数据：" + "；".join(parts)
    if any(r.sample for r in registers):
        text += "；这是部分样本，不是普查：“0 家”指样本中没有，不等于当地没有。"
    else:
        text += "。"
    return text
