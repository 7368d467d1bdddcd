"""The seeded synthetic province: counties, their plans (as text) and enterprise registers.

Everything is drawn from one seeded ``random.Random``, so the same arguments give the same
texts; :mod:`bench.generate` writes them as files.

Each plan is shaped like ``data/samples/zezhou-2023-17.txt``: a cover notice (印发…的通知) of a
county office, a plan with numbered headings whose tasks carry responsibility markers
(〔责任单位：…〕 or （牵头单位：…；配合单位：…；完成时限：…）) naming bureaus of the county —
real bureau names and common aliases, as the alias roster knows them — a working-mechanism part
that founds a leading group, and an annex listing the group's members (placeholder people drawn
from the county's officials, so a county's plans share them). Each county also has an
enterprise register (CSV) of invented firms on the bundled chains' nodes, for the gap queries.
Counties, people and firms are invented; only the bureau names are real
(:mod:`bench.vocabulary` holds the words).

Example:
    >>> plan = Province(seed=1, counties=2, plans=2).plans()[0]
    >>> plan.text.startswith(plan.issuer + "文件"), "领导小组" in plan.text
    (True, True)
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

from bench.vocabulary import (
    ALIASES,
    BUREAUS,
    CHAINS,
    FILLER,
    FIRM_WORDS,
    GIVEN,
    MECHANISMS,
    OBJECTS,
    PLACE,
    PLAN_WORDS,
    SECTIONS,
    SUFFIXES,
    SURNAMES,
    TOPICS,
    TRADES,
    VERBS,
)

SEED = 2023


@dataclass
class County:
    """A county: its name, short name, level character, bureaus and officials."""

    name: str
    short: str
    level: str  # 县 or 区
    heads: dict[str, str] = field(default_factory=dict)  # bureau → head's name
    deputies: dict[str, str] = field(default_factory=dict)  # bureau → a deputy head's name
    leaders: list[tuple[str, str]] = field(default_factory=list)  # (name, title)

    def unit(self, bureau: str) -> str:
        """A bureau's canonical local name: 县工业和信息化局."""
        return self.level + bureau

    @property
    def towns(self) -> list[str]:
        """Its specialised towns (专业镇), one per bundled chain."""
        return [self.short + word for word in CHAINS.values()]


@dataclass
class Plan:
    """One generated plan: where it belongs and its text."""

    id: str
    county: County
    doc_number: str
    title: str
    issuer: str
    date: str
    text: str

    @property
    def fields(self) -> dict[str, str]:
        """Portal metadata for the HTML rendering."""
        return {
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date,
            "title": f"{self.issuer}关于印发{self.title}的通知",
        }


class Province:
    """A seeded generator of counties, plans and registers."""

    def __init__(
        self, seed: int = SEED, counties: int = 100, plans: int = 1000, size_kb: float = 12.0
    ) -> None:
        self.rng = random.Random(seed)
        self.size = int(size_kb * 1024)
        self.n_plans = plans
        self.counties = self._counties(counties)
        self._people: set[tuple[str, str]] = set()

    # -- people and places -----------------------------------------------------------------
    def _counties(self, n: int) -> list[County]:
        pairs = [a + b for a in PLACE for b in PLACE if a != b]
        self.rng.shuffle(pairs)
        out = []
        for short in pairs[:n]:
            level = "区" if self.rng.random() < 0.1 else "县"
            county = County(short + level, short, level)
            taken: set[str] = set()
            for title in (level + "长", "常务副" + level + "长", *["副" + level + "长"] * 4):
                county.leaders.append((self._name(taken), title))
            for b in BUREAUS:
                county.heads[b] = self._name(taken)
                county.deputies[b] = self._name(taken)
            out.append(county)
        return out

    def _name(self, taken: set[str]) -> str:
        while True:
            given = "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2, 2))))
            name = self.rng.choice(SURNAMES) + given
            if name not in taken:
                taken.add(name)
                return name

    # -- plans -----------------------------------------------------------------------------
    def plans(self) -> list[Plan]:
        """Every plan, counties in turn; ids are ``<county index>-<plan index>``."""
        out = []
        for i in range(self.n_plans):
            c = i % len(self.counties)
            out.append(self._plan(f"c{c:03d}-p{i // len(self.counties):03d}", self.counties[c], i))
        return out

    def _units(self, county: County, k: int) -> list[str]:
        picked = self.rng.sample(BUREAUS, k)
        return [
            county.level + ALIASES[b]
            if b in ALIASES and self.rng.random() < 0.15
            else county.unit(b)
            for b in picked
        ]

    def _task(self, county: County, n: int, style: str) -> str:
        verb, obj = self.rng.choice(VERBS), self.rng.choice(OBJECTS)
        title = f"{verb}{obj}"
        body = "，".join(self.rng.sample(FILLER, self.rng.choice((1, 2, 2, 3))))
        if self.rng.random() < 0.3:
            body += f"，支持“{self.rng.choice(county.towns)}”专业镇发展"
        units = self._units(county, self.rng.randint(2, 6))
        if style == "bracket":
            towns = "，各乡镇人民政府" if self.rng.random() < 0.5 else ""
            marker = f"〔责任单位：{'、'.join(units)}{towns}〕"
            return f"（{_CN[n]}）{title}，{body}。{marker}"
        deadline = self.rng.choice(("", "；完成时限：2024年底前", "；完成时限：长期坚持"))
        marker = f"（牵头单位：{units[0]}；配合单位：{'、'.join(units[1:])}{deadline}）"
        return f"{n}.{title}。{body}。{marker}"

    def _plan(self, pid: str, county: County, i: int) -> Plan:
        rng = self.rng
        year = 2021 + i % 4
        topic = rng.choice(TOPICS)
        title = f"{county.name}{topic}{rng.choice(PLAN_WORDS)}"
        office = f"{county.name}人民政府办公室"
        number = f"{county.short[0]}政办发〔{year}〕{i // len(self.counties) + 1}号"
        date = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        towns = "”和“".join(county.towns)
        head = [
            f"{office}文件",
            number,
            f"{office} 关于印发{title}的通知",
            f"各乡镇人民政府，{county.level}直各有关单位：",
            f"《{title}》已经{county.level}政府同意，现印发给你们，请认真贯彻执行。",
            office,
            date,
            "（此件公开发布）",
            title,
            f"为推动我{county.level}特色产业做大做强，加快市场主体集聚发展，制定本方案。",
            "一、总体要求",
            "（一）指导思想",
            "以新时代中国特色社会主义思想为指导，" + "，".join(rng.sample(FILLER, 3)) + "。",
            "（二）发展目标",
            f"充分发挥“{towns}”两个专业镇的产业优势，{rng.choice(FILLER)}。",
        ]
        group = f"{county.name}{topic.removeprefix('促进').removeprefix('推动')}工作领导小组"
        office_bureau, deputy_bureau = rng.sample(BUREAUS[:8], 2)
        annex = self._annex(county, group, office_bureau, deputy_bureau)
        mech = [
            "三、保障措施",
            f"（一）{MECHANISMS[0]}。成立{group}（以下简称领导小组），统筹推进各项工作。"
            f"领导小组办公室设在{county.unit(office_bureau)}，负责日常协调工作。",
            *[
                f"（{_CN[k + 2]}）{m}。{rng.choice(FILLER)}。"
                for k, m in enumerate(rng.sample(MECHANISMS[1:], 4))
            ],
            f"附件：{group}组成人员名单",
        ]
        fixed = len("\n\n".join(head + mech + annex).encode())
        tasks = self._tasks(county, self.size - fixed)
        text = "\n\n".join([*head, *tasks, *mech, *annex]) + "\n"
        return Plan(pid, county, number, title, office, date, text)

    def _tasks(self, county: County, budget: int) -> list[str]:
        """Task paragraphs (with their section headings) filling ``budget`` bytes."""
        style = "bracket" if self.rng.random() < 0.3 else "numbered"
        out = ["二、重点任务"]
        used = 0
        sections = self.rng.sample(SECTIONS, len(SECTIONS))
        s = 0
        while used < budget:
            if style == "numbered":
                out.append(f"（{_CN[s + 1]}）{sections[s % len(sections)]}")
                for n in range(1, self.rng.randint(4, 7) + 1):
                    out.append(self._task(county, n, style))
                    used += len(out[-1].encode()) + 2
                    if used >= budget:
                        break
            else:
                out.append(self._task(county, s + 1, style))
                used += len(out[-1].encode()) + 2
            s += 1
            if s >= 19:
                break
        return out

    def _annex(self, county: County, group: str, office: str, deputy: str) -> list[str]:
        rng = self.rng
        leader, mayor = county.leaders[0], county.leaders[0][1]
        deputies = rng.sample(county.leaders[1:], rng.randint(1, 2))
        rows = [f"组 长：\t{_pad(leader[0])}\t{mayor}"]
        for k, (name, title) in enumerate(deputies):
            rows.append(f"{'副组长：' if k == 0 else ''}\t{_pad(name)}\t{title}")
        members = rng.sample(BUREAUS, rng.randint(12, 24))
        for k, b in enumerate(members):
            post = county.unit(b) + ("主任" if b.endswith("中心") else "局长")
            name = county.heads[b]
            if rng.random() < 0.15:
                name, post = (
                    county.deputies[b],
                    post.replace("局长", "副局长").replace("主任", "副主任"),
                )
            rows.append(f"{'成 员：' if k == 0 else ''}\t{_pad(name)}\t{post}")
        rows.append("各乡镇镇长")
        title_of = "主任" if office.endswith("中心") else "局长"
        return [
            "附件",
            f"{group}组成人员名单",
            "一、组成人员",
            "\n".join(rows),
            "二、工作机构",
            f"领导小组下设办公室，办公室设在{county.unit(office)}。办公室主任由"
            f"{county.unit(office)}{title_of}兼任，副主任由{county.unit(deputy)}局长兼任。",
        ]

    # -- registers -------------------------------------------------------------------------
    def register(self, county: County, firms: int, chains: dict[str, list[str]]) -> str:
        """An enterprise register (CSV text) of ``firms`` invented firms on chain nodes.

        Args:
            county: whose towns the firms sit in.
            firms: how many rows.
            chains: chain id → node ids (``data/chains`` templates), firms spread over them.
        """
        rng = self.rng
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "town", "place", "node", "scale", "founded"])
        keys = sorted(chains)
        names: set[str] = set()
        for k in range(firms):
            chain = keys[k % len(keys)]
            town = county.short + CHAINS.get(chain, chain)
            # Skewed: a few links crowded, others thin or empty, so every action shows up.
            nodes = chains[chain]
            weights = [1.0 / (1 + j) ** 1.3 for j in range(len(nodes))]
            picked = sorted(set(rng.choices(nodes, weights, k=rng.randint(1, 3))))
            name = self._firm(county, chain, names)
            writer.writerow(
                [
                    name,
                    town,
                    f"{county.short}{rng.choice('东西南北')}{rng.choice(PLACE)}村",
                    ";".join(f"{chain}:{n}" for n in picked),
                    rng.choice(("是", "否", "")),
                    str(rng.randint(1990, 2023)),
                ]
            )
        return out.getvalue()

    def _firm(self, county: County, chain: str, taken: set[str]) -> str:
        """A firm name not in ``taken``: county, brand, trade, company form."""
        trades = TRADES.get(chain, ["实业"])
        for attempt in range(1000):
            brand = self.rng.choice(FIRM_WORDS)
            if attempt >= 10:  # the plain names are used up: a second brand syllable
                brand = self.rng.choice(PLACE) + brand
            name = f"{county.short}{brand}{self.rng.choice(trades)}{self.rng.choice(SUFFIXES)}"
            if name not in taken:
                taken.add(name)
                return name
        raise ValueError(f"cannot name another firm in {county.name}")


_CN = "零一二三四五六七八九十" + "".join(f"十{d}" for d in "一二三四五六七八九") + "二十"


def _pad(name: str) -> str:
    """Two-character names are padded to the width of three, as typists do: 李 庭."""
    return f"{name[0]} {name[1]}" if len(name) == 2 else name
