"""A synthetic province-scale corpus: county plans in TXT (all), DOCX, PDF and HTML (a subset).

Run ``python -m bench.generate OUT [--plans 1000 --counties 100 --formats 30 --firms 530]``.
Everything is drawn from one seeded ``random.Random``, so the same arguments give the same
texts (and byte-identical TXT, HTML and PDF files; DOCX zip entries carry a fixed timestamp).

Each plan is shaped like ``data/samples/zezhou-2023-17.txt``: a cover notice (印发…的通知) of a
county office, a plan with numbered headings whose tasks carry responsibility markers
(〔责任单位：…〕 or （牵头单位：…；配合单位：…；完成时限：…）) naming bureaus of the county —
real bureau names and common aliases, as the alias roster knows them — a working-mechanism part
that founds a leading group, and an annex listing the group's members (placeholder people drawn
from the county's officials, so a county's plans share them). Each county also has an
enterprise register (CSV) of invented firms on the bundled chains' nodes, for the gap queries.
Counties, people and firms are invented; only the bureau names are real.

Example:
    >>> plan = Province(seed=1, counties=2, plans=2).plans()[0]
    >>> plan.text.startswith(plan.issuer + "文件"), "领导小组" in plan.text
    (True, True)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 2023
FORMATS = ("txt", "docx", "pdf", "html")

# Bureaus of a county government (canonical names of data/aliases.yaml, level prefix added).
BUREAUS = [
    "工业和信息化局",
    "发展和改革局",
    "财政局",
    "教育局",
    "农业农村局",
    "自然资源局",
    "市场监督管理局",
    "行政审批服务管理局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "交通运输局",
    "文化和旅游局",
    "统计局",
    "能源局",
    "税务局",
    "公安局",
    "商务局",
    "水务局",
    "应急管理局",
    "科学技术局",
    "民政局",
    "司法局",
    "审计局",
    "退役军人事务局",
    "医疗保障局",
    "林业局",
    "数字政府服务中心",
    "中小企业发展促进中心",
    "投资促进中心",
    "乡村振兴中心",
    "融媒体中心",
]
ALIASES = {
    "工业和信息化局": "工信局",
    "发展和改革局": "发改局",
    "市场监督管理局": "市场监管局",
    "行政审批服务管理局": "行政审批局",
    "人力资源和社会保障局": "人社局",
    "住房和城乡建设局": "住建局",
    "文化和旅游局": "文旅局",
    "科学技术局": "科技局",
    "应急管理局": "应急局",
    "医疗保障局": "医保局",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎潘杜戴夏钟汪田任姜范方石姚谭廖邹熊陆郝孔白崔康毛邱秦史顾侯邵孟段雷钱汤尹常武乔贺龚晁郜原连成"
GIVEN = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红鹏辉建国庆林峰晋斌海波宁凯宇浩飞云文亮志兵彬俊晓丹新春雪梅琳瑞博毅金广逢珏宽利鸿鑫怡然卫东"
PLACE = "安宁和丰泰兴盛昌隆乐嘉禾广清源阳河山川峪岭沁陵高襄浮翼古潞屯黎壶榆祁介孝汾灵石永"
TOPICS = (
    "促进专业镇高质量发展",
    "推动铸造产业转型升级",
    "加快山楂产业高质量发展",
    "优化营商环境",
    "推进制造业数字化转型",
    "加强招商引资工作",
    "促进特色农业提质增效",
    "推动文旅融合发展",
    "支持中小企业专精特新发展",
    "推进县域经济高质量发展",
)
PLAN_WORDS = ("实施方案", "行动方案", "工作方案", "三年行动计划")
SECTIONS = (
    "壮大特色产业集群",
    "强化科技创新支撑",
    "推进重点项目建设",
    "提升质量品牌水平",
    "优化发展环境",
    "加强要素保障",
    "推动数字化转型",
    "促进融合发展",
    "加强人才支撑",
    "拓展市场空间",
)
VERBS = ("加快", "推进", "实施", "建立", "完善", "支持", "鼓励", "培育", "打造", "强化", "健全")
OBJECTS = (
    "龙头企业培育",
    "专精特新企业梯度培育",
    "重点项目谋划储备",
    "产业园区基础设施建设",
    "检验检测公共服务平台",
    "物流配送体系",
    "电商平台建设",
    "铸造生铁和废钢保障",
    "山楂种植基地",
    "冷链物流设施",
    "技能人才培养",
    "精准招商引资",
    "标准化厂房建设",
    "融资担保服务",
    "企业技术中心创建",
    "绿色化改造",
    "智能制造示范",
    "品牌宣传推广",
    "研发设计服务",
    "山楂酒和山楂饮料开发",
)
FILLER = (
    "围绕主导产业，整合集聚要素资源，完善公共服务体系",
    "发挥省级、市级专项资金引导作用，带动上下游配套中小企业发展",
    "聚焦产业链延链补链强链，谋划实施一批引领性重大项目",
    "对符合产业规划的项目在审批立项、项目用地、能耗用量等方面给予支持",
    "推动工业互联网、物联网等新一代信息技术与产业发展深度融合",
    "鼓励企业联合高校、科研机构建设创新联合体",
    "引导企业加强产品质量管理，提升特色产品质量水平",
    "统筹做好用地、用能、环境总量指标配置和融资服务工作",
    "建立问题台账，跟进帮扶，帮助企业解决实际困难",
    "开展合作办学，加强技能型人才、急需紧缺人才培养",
)
MECHANISMS = (
    "加强组织领导",
    "强化政策保障",
    "建立常态化服务机制",
    "加强宣传引导",
    "严格督查考核",
    "强化要素支撑",
)
CHAINS = {"foundry": "铸造", "hawthorn": "山楂红酒"}
FIRM_WORDS = [
    "鑫达",
    "宏远",
    "金泰",
    "恒通",
    "瑞丰",
    "华盛",
    "永兴",
    "隆昌",
    "锦程",
    "德盛",
    "晋泰",
    "广源",
    "天成",
    "泰和",
    "众诚",
    "联创",
]
TRADES = {
    "foundry": ["铸业", "铸造", "机械", "管业", "精密铸件", "耐火材料", "模具", "热处理"],
    "hawthorn": ["山楂", "果业", "酒业", "食品", "饮品", "农业开发", "果品", "包装"],
}
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")


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


def chain_nodes() -> dict[str, list[str]]:
    """Node ids of the bundled chain templates, by chain id."""
    from graph.chain_files import load_chains

    return {
        cid: [n.id for n in t.nodes] for cid, t in load_chains(ROOT / "data" / "chains").items()
    }


def fixed_docx_times(path: Path) -> None:
    """Rewrite a DOCX with a fixed timestamp on every zip entry, so builds are byte-identical."""
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, (2023, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def generate(
    out: Path,
    *,
    seed: int = SEED,
    plans: int = 1000,
    counties: int = 100,
    formats: int = 30,
    firms: int = 530,
    size_kb: float = 12.0,
) -> dict[str, object]:
    """Write the corpus under ``out`` and return its manifest (also written as manifest.json).

    Layout: ``txt/<id>.txt`` for every plan; ``docx/``, ``pdf/``, ``html/`` for the first
    ``formats`` plans; ``registers/<county>.csv`` with ``firms`` rows per county.
    """
    import reportlab.rl_config

    from tests.ingest.builders import build_docx, build_html, build_pdf

    reportlab.rl_config.invariant = 1  # no creation date or random id in the PDF
    province = Province(seed, counties, plans, size_kb)
    docs: list[dict[str, object]] = []
    for fmt in FORMATS:
        (out / fmt).mkdir(parents=True, exist_ok=True)
    for k, plan in enumerate(province.plans()):
        paths = {"txt": out / "txt" / f"{plan.id}.txt"}
        paths["txt"].write_text(plan.text, "utf-8")
        if k < formats:
            paths["docx"] = build_docx(plan.text, out / "docx" / f"{plan.id}.docx")
            fixed_docx_times(paths["docx"])
            header = f"{plan.issuer}规范性文件"
            paths["pdf"] = build_pdf(plan.text, out / "pdf" / f"{plan.id}.pdf", header=header)
            paths["html"] = build_html(plan.text, out / "html" / f"{plan.id}.html", plan.fields)
        for fmt, path in paths.items():
            docs.append(
                {
                    "id": plan.id,
                    "format": fmt,
                    "path": str(path.relative_to(out)),
                    "bytes": path.stat().st_size,
                    "region": plan.county.name,
                    "doc_number": plan.doc_number,
                }
            )
    registers = []
    (out / "registers").mkdir(exist_ok=True)
    nodes = chain_nodes()
    for c, county in enumerate(province.counties):
        path = out / "registers" / f"c{c:03d}.csv"
        path.write_text(province.register(county, firms, nodes), "utf-8")
        registers.append({"path": str(path.relative_to(out)), "region": county.name})
    manifest: dict[str, object] = {
        "seed": seed,
        "plans": plans,
        "counties": counties,
        "formats_subset": formats,
        "firms_per_county": firms,
        "size_kb": size_kb,
        "documents": docs,
        "registers": registers,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus into the folder given on the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--formats", type=int, default=30, help="plans also built as DOCX/PDF/HTML")
    parser.add_argument("--firms", type=int, default=530, help="register rows per county")
    parser.add_argument("--size-kb", type=float, default=12.0)
    args = parser.parse_args(argv)
    manifest = generate(
        args.out,
        seed=args.seed,
        plans=args.plans,
        counties=args.counties,
        formats=args.formats,
        firms=args.firms,
        size_kb=args.size_kb,
    )
    print(f"{len(manifest['documents'])} files written to {args.out}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
