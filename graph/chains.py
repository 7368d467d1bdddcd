"""Industry chains (产业链): templates read from YAML, town bindings, the register model, fragments.

A chain template is data, one YAML file per chain under ``data/chains/``: nodes (links of the
chain) with a tier, GB/T 4754-2017 codes and keywords, and ``supplies`` edges. Loading checks the
file and names file, line and problem when it is malformed. The enterprise register model lives
here too (``ingest.firms`` fills it), so that the graph layer never imports the ingest layer.

Tiers are ordered upstream → midstream → downstream; ``services`` stands outside the order. A
``supplies`` edge may not run against the order (downstream → upstream), and nodes of the three
ordered tiers may form no cycle; cycles through a services node (waste sand reclaimed as sand)
are allowed.

>>> t = ChainTemplate(id="demo", name="演示", nodes=[
...     ChainNode(id="ore", name="矿石", tier="upstream", supplies=["metal"]),
...     ChainNode(id="metal", name="金属", tier="midstream")])
>>> t.edges
[('ore', 'metal')]
>>> sorted(chain_fragment(t).nodes)
['chain:demo', 'chainnode:demo:metal', 'chainnode:demo:ore']
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from graph.errors import InvalidChainTemplate, UnknownChain
from graph.fragment import Fragment
from graph.schema import Label, Rel, chain_id, chain_node_id, firm_id, town_id

BINDINGS_FILE = "towns.yaml"  # lives beside the templates but is not one

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Code = Annotated[str, StringConstraints(pattern=r"^\d{2}[\dx]{0,2}$")]
# Characters are the tokens, so a one-character keyword would match almost any text.
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Tier(StrEnum):
    """Where a link sits in the chain."""

    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"
    SERVICES = "services"  # outside the order: serves the links it names


ORDER = {Tier.UPSTREAM: 0, Tier.MIDSTREAM: 1, Tier.DOWNSTREAM: 2}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Problem(InvalidChainTemplate):
    """A template problem at a path inside the file (``load_chain`` adds file and line)."""

    def __init__(self, path: tuple[str | int, ...], problem: str) -> None:
        super().__init__(f"{_dotted(path)}: {problem}")
        self.path = path
        self.problem = problem


class ChainNode(_Model):
    """One link of a chain."""

    id: Key
    name: Text
    gloss: str | None = None
    tier: Tier
    codes: list[Code] = Field(default_factory=list, description="GB/T 4754-2017, as strings")
    code_note: str | None = Field(default=None, description="e.g. unverified, inferred, users")
    keywords: list[Keyword] = Field(default_factory=list)
    synonyms: list[Keyword] = Field(default_factory=list)
    supplies: list[Key] = Field(default_factory=list, description="ids of the nodes it supplies")

    def terms(self) -> list[str]:
        """Name, keywords and synonyms, without repeats: what matchers look for."""
        return list(dict.fromkeys([self.name, *self.keywords, *self.synonyms]))


class ChainTemplate(_Model):
    """A chain: its nodes and the SUPPLIES edges between them."""

    id: Key
    name: Text
    name_en: str | None = None
    sources: list[str] = Field(default_factory=list)
    nodes: list[ChainNode]
    file: str | None = Field(default=None, exclude=True, description="set by load_chain")

    @property
    def edges(self) -> list[tuple[str, str]]:
        """SUPPLIES edges as ``(supplier, customer)`` node ids, in file order."""
        return [(n.id, m) for n in self.nodes for m in n.supplies]

    def node(self, node_id: str) -> ChainNode:
        """The node with id ``node_id`` (``KeyError`` when there is none)."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    @model_validator(mode="after")
    def _check_graph(self) -> ChainTemplate:
        index: dict[str, int] = {}
        for i, n in enumerate(self.nodes):
            if n.id in index:
                raise _Problem(("nodes", i, "id"), f"duplicate node id {n.id!r}")
            index[n.id] = i
        order = graphlib.TopologicalSorter[str]()  # a supplier before its customers
        where_of: dict[tuple[str, str], tuple[str | int, ...]] = {}
        for i, n in enumerate(self.nodes):
            for j, m in enumerate(n.supplies):
                where = ("nodes", i, "supplies", j)
                if m not in index:
                    raise _Problem(where, f"edge from {n.id!r} to missing node {m!r}")
                if m == n.id:
                    raise _Problem(where, f"node {n.id!r} supplies itself")
                tier = self.nodes[index[m]].tier
                if n.tier in ORDER and tier in ORDER:
                    if ORDER[tier] < ORDER[n.tier]:
                        raise _Problem(
                            where,
                            f"edge against the tier order: {n.tier} node {n.id!r} cannot "
                            f"supply {tier} node {m!r} (the chain would loop back)",
                        )
                    order.add(m, n.id)
                    where_of[n.id, m] = where
        try:
            order.prepare()
        except graphlib.CycleError as exc:
            # each node supplies the next, the first repeated at the end; told from the node
            # that comes first in the file, so the edge named is the one that closes the loop
            cycle: list[str] = exc.args[1][:-1]
            first = min(range(len(cycle)), key=lambda k: index[cycle[k]])
            cycle = cycle[first:] + cycle[:first]
            loop = " → ".join([*cycle, cycle[0]])
            raise _Problem(
                where_of[cycle[-1], cycle[0]],
                f"cycle {loop}: the tier order forbids cycles outside services",
            ) from None
        return self


class TownBinding(_Model):
    """A specialised town (as the plans name it) featuring a chain."""

    town: Text
    chain: Key
    region: str | None = None


MatchedBy = Literal["node", "code", "keyword"]


class RegisterRow(_Model):
    """One enterprise of a register, with the chain nodes it was assigned to."""

    row: int = Field(description="line (CSV) or sheet row (XLSX) in the source file")
    name: str
    town: str
    region: str | None = Field(
        default=None, description="the town's county or city, when the register names it per row"
    )
    place: str | None = None
    nodes: list[str] = Field(default_factory=list, description="chain node ids (graph ids)")
    matched_by: MatchedBy | None = None
    keywords: list[str] = Field(default_factory=list, description="keywords that matched")
    code: str | None = None
    product: str | None = None
    scale: bool | None = Field(default=None, description="规上: above designated size")
    founded: int | None = None
    source: str | None = Field(default=None, description="where the row's facts were reported")
    year: int | None = None
    note: str | None = None


class Unmatched(_Model):
    """A register row assigned to no chain node, and why."""

    row: int
    name: str
    reason: str


class Register(_Model):
    """An imported enterprise register; ``unmatched`` reports rows assigned to no node."""

    file: str
    rows: list[RegisterRow]
    unmatched: list[Unmatched] = Field(default_factory=list)
    ignored_columns: list[str] = Field(default_factory=list)


# -- loading ------------------------------------------------------------------------------
def _dotted(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _line(root: yaml.Node | None, path: tuple[str | int, ...]) -> int:
    """1-based line of the deepest YAML node ``path`` reaches (its parent when it is absent)."""
    if root is None:
        return 1
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if getattr(k, "value", None) == str(part)]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


# libyaml's parser when PyYAML has it (ten times the pure-Python one), with the same marks.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Data and composed node tree (for line marks) of a YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidChainTemplate(f"{path}: unreadable ({exc})") from exc
    loader = SAFE_LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidChainTemplate(f"{path}:{line}: YAML syntax error: {problem}") from exc
    finally:
        loader.dispose()
    return data, root


def _describe(error: Any) -> str:
    if error["type"] == "enum" and error["loc"][-1:] == ("tier",):
        return f"unknown tier {error['input']!r} (expected {', '.join(t.value for t in Tier)})"
    if error["type"] == "string_pattern_mismatch" and "codes" in error["loc"]:
        return f"code {error['input']!r} is not a GB/T 4754 code written as a string (e.g. '0511')"
    if error["type"] == "string_type" and "codes" in error["loc"]:
        return f"code {error['input']!r} must be quoted (a number loses leading zeros)"
    if error["type"] == "extra_forbidden":
        return f"unknown field {error['loc'][-1]!r}"
    return str(error["msg"])


def load_chain(path: Path | str) -> ChainTemplate:
    """Read and check one chain template.

    Raises:
        InvalidChainTemplate: ``<file>:<line>: <where>: <problem>`` for every problem found
            (unknown tier, edge to a missing node, a cycle the tier order forbids, bad field).
    """
    path = Path(path)
    data, root = _read_yaml(path)
    if not isinstance(data, dict):
        raise InvalidChainTemplate(f"{path}:1: a chain template is a mapping with id and nodes")
    try:
        template = ChainTemplate.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{path}:{_line(root, tuple(e['loc']))}: {_dotted(tuple(e['loc']))}: {_describe(e)}"
            for e in exc.errors()
        ]
        raise InvalidChainTemplate("; ".join(problems)) from exc
    except _Problem as exc:
        raise InvalidChainTemplate(f"{path}:{_line(root, exc.path)}: {exc}") from exc
    return template.model_copy(update={"file": path.name})


def load_chains(folder: Path | str) -> dict[str, ChainTemplate]:
    """Every template ``*.yaml`` / ``*.yml`` in ``folder`` (not ``towns.yaml``), by chain id.

    Raises:
        InvalidChainTemplate: a file is malformed, or two files declare the same chain id.
    """
    chains: dict[str, ChainTemplate] = {}
    files = sorted(p for p in Path(folder).glob("*.y*ml") if p.suffix in {".yaml", ".yml"})
    for path in files:
        if path.name == BINDINGS_FILE:
            continue
        template = load_chain(path)
        if template.id in chains:
            raise InvalidChainTemplate(
                f"{path}:1: chain id {template.id!r} already declared in {chains[template.id].file}"
            )
        chains[template.id] = template
    return chains


def load_town_bindings(
    path: Path | str, chains: Mapping[str, ChainTemplate] | None = None
) -> list[TownBinding]:
    """Read ``towns.yaml``: ``<town>: {chain: <id>, region: <region>}`` or ``<town>: <id>``.

    Raises:
        InvalidChainTemplate: the file is malformed (file and line in the message).
        UnknownChain: ``chains`` is given and a town is bound to a chain not in it.
    """
    path = Path(path)
    data, root = _read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InvalidChainTemplate(f"{path}:1: expected a mapping of town → chain")
    bindings: list[TownBinding] = []
    for town, value in data.items():
        entry = {"chain": value} if isinstance(value, str) else value
        keys = root.value if isinstance(root, yaml.MappingNode) else []
        line = next((k.start_mark.line + 1 for k, _ in keys if k.value == str(town)), 1)
        if not isinstance(entry, dict):
            raise InvalidChainTemplate(f"{path}:{line}: {town}: expected a chain id or mapping")
        try:
            binding = TownBinding.model_validate({"town": str(town), **entry})
        except ValidationError as exc:
            problems = "; ".join(f"{_dotted(tuple(e['loc']))}: {e['msg']}" for e in exc.errors())
            raise InvalidChainTemplate(f"{path}:{line}: {town}: {problems}") from exc
        if chains is not None and binding.chain not in chains:
            raise UnknownChain(
                f"{path}:{line}: town {binding.town!r} is bound to chain {binding.chain!r}, "
                f"not among the loaded chains {sorted(chains)}"
            )
        bindings.append(binding)
    return bindings


# -- fragments ----------------------------------------------------------------------------
def provenance_edge(
    fragment: Fragment, start: str, end: str, rel: Rel, origin: str, **attrs: Any
) -> None:
    """Add an edge stated by the data file ``origin``; reloading that file replaces it."""
    fragment.edge(start, end, rel, attrs.pop("discriminator", ""), origin=origin, **attrs)
    if origin not in fragment.sources:
        fragment.sources.append(origin)


def chain_fragment(template: ChainTemplate) -> Fragment:
    """The Chain node, its ChainNode nodes, HAS_NODE and SUPPLIES edges.

    Facts carry ``source="chain:<file>"`` instead of ``doc``: they come from no document.
    """
    source = f"chain:{template.file or template.id}"
    fragment = Fragment()
    cid = chain_id(template.id)
    fragment.node(
        cid,
        Label.CHAIN,
        name=template.name,
        name_en=template.name_en,
        key=template.id,
        sources=list(template.sources),
        source=source,
    )
    for order, n in enumerate(template.nodes):
        nid = chain_node_id(template.id, n.id)
        fragment.node(
            nid,
            Label.CHAIN_NODE,
            order=order,
            name=n.name,
            gloss=n.gloss,
            tier=n.tier.value,
            codes=list(n.codes),
            code_note=n.code_note,
            keywords=list(n.keywords),
            synonyms=list(n.synonyms),
            key=n.id,
            chain=cid,
            source=source,
        )
        provenance_edge(fragment, cid, nid, Rel.HAS_NODE, source)
    for u, v in template.edges:
        provenance_edge(
            fragment,
            chain_node_id(template.id, u),
            chain_node_id(template.id, v),
            Rel.SUPPLIES,
            source,
        )
    return fragment


def register_fragment(register: Register, region: str) -> Fragment:
    """Firm nodes with OPERATES_IN → ChainNode and LOCATED_IN → Town (``town_id(region, town)``,
    the row's own ``region`` when it names one, else ``region``).

    Facts carry ``source="register:<file>"``; the row's own source column (where the firm was
    reported) becomes the Firm attribute ``reference``. ChainNode ends are added label-only, so
    load the chain fragments too (before or after: attributes merge).
    """
    source = f"register:{register.file}"
    fragment = Fragment()
    for row in register.rows:
        fid = firm_id(row.name)
        fragment.node(
            fid,
            Label.FIRM,
            name=row.name,
            scale=row.scale,
            founded=row.founded,
            reference=row.source,
            year=row.year,
            note=row.note,
            source=source,
        )
        where = row.region or region
        tid = town_id(where, row.town)
        fragment.node(tid, Label.TOWN, name=row.town, region=where)
        provenance_edge(fragment, fid, tid, Rel.LOCATED_IN, source, place=row.place)
        for nid in row.nodes:
            fragment.node(nid, Label.CHAIN_NODE)
            provenance_edge(fragment, fid, nid, Rel.OPERATES_IN, source, row=row.row)
    return fragment


def binding_fragment(
    bindings: list[TownBinding], region: str, source: str = f"chain:{BINDINGS_FILE}"
) -> Fragment:
    """Town -FEATURES-> Chain for each binding (``region`` when the binding names none)."""
    fragment = Fragment()
    for b in bindings:
        where = b.region or region
        tid = town_id(where, b.town)
        fragment.node(tid, Label.TOWN, name=b.town, region=where)
        fragment.node(chain_id(b.chain), Label.CHAIN)
        provenance_edge(fragment, tid, chain_id(b.chain), Rel.FEATURES, source)
    return fragment
