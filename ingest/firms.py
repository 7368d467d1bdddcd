"""Enterprise registers: CSV/XLSX → :class:`Register`, each row assigned to chain nodes.

A register row is assigned to chain nodes by the first of these that it gives and that finds
something: node ids (``链环节``), GB/T 4754 codes (``行业代码``), keywords of the chain nodes in
the product text (``主营产品``, spaCy ``PhraseMatcher`` with characters as the tokens, see
:mod:`ingest.keywords`). A row assigned to nothing is kept and reported in ``Register.unmatched``. Bad rows
(missing name or town, unknown node id, malformed year or scale) make the whole import fail
with one :class:`~graph.errors.InvalidRegister` naming every bad row: nothing is half-imported.
Tasks are linked to chain nodes by the same keywords in :mod:`ingest.addresses`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from graph.chains import (
    ChainTemplate,
    MatchedBy,
    Register,
    RegisterRow,
    TownBinding,
    Unmatched,
)
from graph.errors import InvalidRegister
from graph.schema import chain_node_id
from ingest.keywords import keywords_of

__all__ = ["Register", "import_register"]

# Column → accepted headers (compared lower-cased, before any parenthesis).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "名称", "企业", "name", "firm", "enterprise"),
    "town": ("所在镇", "乡镇", "镇", "town"),
    "node": ("链环节", "环节", "node", "chain node", "node id"),
    "code": ("行业代码", "代码", "code", "industry code", "gb/t code"),
    "product": ("主营产品", "产品", "product", "products"),
    "scale": ("规模", "规上", "scale"),
    "founded": ("成立年份", "成立时间", "founded"),
    "source": ("来源", "source"),
    "year": ("年份", "数据年份", "year"),
    "note": ("备注", "note", "notes"),
    "place": ("地址", "所在地", "place", "location"),
    "region": ("地区", "所属地区", "区县", "县区", "region", "county"),
}
_HEADER = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_SPLIT = re.compile(r"[;,，；、|\s]+")
_YES = {"是", "规上", "规模以上", "yes", "y", "true", "1", "√"}
_NO = {"否", "规下", "规模以下", "no", "n", "false", "0"}


# -- reading ------------------------------------------------------------------------------
def _read_csv(path: Path) -> list[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, line = [], 1
    for cells in reader:
        rows.append((line, list(cells)))
        line = reader.line_num + 1
    return rows


def _read_xlsx(path: Path) -> list[tuple[int, list[Any]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise ValueError(str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        return [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _cell(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and column == "code":
        return f"{value:04d}"  # a spreadsheet number has lost the code's leading zero
    return str(value).strip()


def _columns(header: list[Any], file: str) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored = []
    for i, title in enumerate(header):
        text = str(title or "").strip()
        key = re.split(r"[（(]", text)[0].strip().lower().replace("_", " ")
        column = _HEADER.get(key)
        if column is None:
            if text:
                ignored.append(text)
        elif column in columns:
            raise InvalidRegister(f"{file}: two columns mean {column!r} (column {i + 1})")
        else:
            columns[column] = i
    missing = [c for c in ("name", "town") if c not in columns]
    if missing:
        raise InvalidRegister(f"{file}: no {' or '.join(missing)} column in header {header}")
    if not {"node", "code", "product"} & set(columns):
        raise InvalidRegister(f"{file}: needs a node (链环节), code (行业代码) or product column")
    return columns, ignored


def _year(text: str) -> int | None:
    text = text.removesuffix("年").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text) and 1800 <= int(text) <= 2100:
        return int(text)
    raise ValueError(text)


# -- assignment ---------------------------------------------------------------------------
class _Index:
    """Node ids, codes and keywords of the chains a register is matched against."""

    def __init__(self, chains: Mapping[str, ChainTemplate]) -> None:
        self.chains = chains
        # the matchers document ingest uses too (built once per template content)
        self.keywords = {cid: keywords_of(c.model_dump_json()) for cid, c in chains.items()}

    def node(self, ref: str, candidates: Sequence[str]) -> str:
        parts = ref.removeprefix("chainnode:").split(":")
        if len(parts) == 2:
            chain, node = parts
            if chain in self.chains and any(n.id == node for n in self.chains[chain].nodes):
                return chain_node_id(chain, node)
            raise ValueError(f"unknown chain node {ref!r}")
        hits = [c for c in candidates if any(n.id == ref for n in self.chains[c].nodes)]
        if len(hits) == 1:
            return chain_node_id(hits[0], ref)
        if hits:
            raise ValueError(f"chain node {ref!r} is ambiguous ({', '.join(hits)}): qualify it")
        raise ValueError(f"unknown chain node {ref!r}")

    def codes(self, code: str, candidates: Sequence[str]) -> list[str]:
        found = []
        for c in candidates:
            for n in self.chains[c].nodes:
                if any(_code_matches(code, own) for own in n.codes):
                    found.append(chain_node_id(c, n.id))
        return found


def _code_matches(code: str, own: str) -> bool:
    return len(code) == len(own) and all(a == b or b == "x" for a, b in zip(code, own, strict=True))


def _assign(
    values: dict[str, str], index: _Index, candidates: Sequence[str]
) -> tuple[list[str], MatchedBy | None, list[str], str]:
    """Nodes, how they were found, keywords matched, and why nothing was (if so)."""
    refs = [r for r in _SPLIT.split(values.get("node", "")) if r]
    if refs:
        return list(dict.fromkeys(index.node(r, candidates) for r in refs)), "node", [], ""
    reasons = []
    codes = [c for c in _SPLIT.split(values.get("code", "")) if c]
    if codes:
        nodes = [n for code in codes for n in index.codes(code, candidates)]
        if nodes:
            return list(dict.fromkeys(nodes)), "code", [], ""
        reasons.append(f"code {' '.join(codes)} matches no chain node")
    product = values.get("product", "")
    if product:
        nodes, terms = [], []
        for c in candidates:
            keywords = index.keywords[c]
            for _, _, term in keywords.find(product):
                terms.append(term)
                nodes.extend(keywords.nodes[term])
        if nodes:
            return list(dict.fromkeys(nodes)), "keyword", list(dict.fromkeys(terms)), ""
        reasons.append(f"product {product!r} contains no chain keyword")
    return [], None, [], "; ".join(reasons) or "no node, code or product given"


def import_register(
    path: Path | str,
    chains: Mapping[str, ChainTemplate],
    bindings: Sequence[TownBinding] = (),
) -> Register:
    """Read an enterprise register (CSV or XLSX) and assign its rows to chain nodes.

    Args:
        path: ``.csv`` (UTF-8, or GB18030 as Excel writes it) or ``.xlsx`` (first sheet). The
            first non-comment row is the header, Chinese or English (企业名称/name, 所在镇/town,
            链环节/node, 行业代码/code, 主营产品/product, 规模/scale, 成立年份/founded,
            来源/source, 年份/year, 备注/note, 地址/place, 地区/region). Rows whose first cell starts with
            ``#`` are comments. Node ids are ``chain:node`` or a bare node id when unambiguous.
        chains: the loaded templates, by chain id.
        bindings: town → chain bindings; a row of a bound town is matched against its chains
            only, any other row against every chain.

    Raises:
        InvalidRegister: unreadable file, header without name/town or without any of
            node/code/product, or bad rows (each named by its row number).
    """
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            table = _read_csv(path)
        elif path.suffix.lower() in {".xlsx", ".xlsm"}:
            table = _read_xlsx(path)
        else:
            raise InvalidRegister(f"{path.name}: not a register (.csv or .xlsx expected)")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, BadZipFile) as exc:
        raise InvalidRegister(f"{path.name}: unreadable register ({exc})") from exc
    table = [
        (n, cells)
        for n, cells in table
        if any(_cell(c, "") for c in cells) and not _cell(cells[0], "").startswith("#")
    ]
    if not table:
        raise InvalidRegister(f"{path.name}: empty register (no header row)")
    columns, ignored = _columns(table[0][1], path.name)
    bound: dict[str, list[str]] = {}
    for b in bindings:
        bound.setdefault(b.town, []).append(b.chain)
    index = _Index(chains)
    rows, unmatched, errors = [], [], []
    for n, cells in table[1:]:
        values = {c: _cell(cells[i], c) if i < len(cells) else "" for c, i in columns.items()}
        problems = [f"missing {c}" for c in ("name", "town") if not values[c]]
        try:
            candidates = [c for c in bound.get(values["town"], list(chains)) if c in chains]
            nodes, matched_by, terms, reason = _assign(values, index, candidates)
        except ValueError as exc:
            problems.append(str(exc))
            nodes, matched_by, terms, reason = [], None, [], ""
        parsed: dict[str, int | None] = {}
        for column in ("founded", "year"):
            try:
                parsed[column] = _year(values.get(column, ""))
            except ValueError:
                problems.append(f"malformed {column} {values[column]!r}")
        scale = values.get("scale", "").lower()
        if scale and scale not in _YES | _NO:
            problems.append(f"malformed scale {values['scale']!r} (是/否, yes/no)")
        if problems:
            errors.append(f"row {n}: {', '.join(problems)}")
            continue
        rows.append(
            RegisterRow(
                row=n,
                name=values["name"],
                town=values["town"],
                region=values.get("region") or None,
                place=values.get("place") or None,
                nodes=nodes,
                matched_by=matched_by,
                keywords=terms,
                code=values.get("code") or None,
                product=values.get("product") or None,
                scale=(scale in _YES) if scale else None,
                founded=parsed["founded"],
                source=values.get("source") or None,
                year=parsed["year"],
                note=values.get("note") or None,
            )
        )
        if not nodes:
            unmatched.append(Unmatched(row=n, name=values["name"], reason=reason))
    if errors:
        raise InvalidRegister(
            f"{path.name}: {len(errors)} bad row(s), nothing imported: {'; '.join(errors)}"
        )
    return Register(file=path.name, rows=rows, unmatched=unmatched, ignored_columns=ignored)
