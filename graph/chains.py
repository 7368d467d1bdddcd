"""Industry chains (产业链): the chain template, town binding and register models, and the
checks a template must pass.

A chain template is data, one YAML file per chain under ``data/chains/``: nodes (links of the
chain) with a tier, GB/T 4754-2017 codes and keywords, and ``supplies`` edges. Reading the files
(file and line named when one is malformed) is ``graph/chain_files.py``; the facts a template,
its town bindings and a register state are built by ``graph/chain_fragments.py``. The
enterprise register model lives here too (``ingest.firms`` fills it), so that the graph layer
never imports the ingest layer.

Tiers are ordered upstream → midstream → downstream; ``services`` stands outside the order. A
``supplies`` edge may not run against the order (downstream → upstream), and nodes of the three
ordered tiers may form no cycle; cycles through a services node (waste sand reclaimed as sand)
are allowed.

>>> t = ChainTemplate(id="demo", name="演示", nodes=[
...     ChainNode(id="ore", name="矿石", tier="upstream", supplies=["metal"]),
...     ChainNode(id="metal", name="金属", tier="midstream")])
>>> t.edges
[('ore', 'metal')]
>>> t.node("metal").tier
<Tier.MIDSTREAM: 'midstream'>
"""

from __future__ import annotations

import graphlib
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from graph.errors import InvalidChainTemplate

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


class TemplateProblem(InvalidChainTemplate):
    """A template problem at a path inside the file (``load_chain`` adds file and line)."""

    def __init__(self, path: tuple[str | int, ...], problem: str) -> None:
        super().__init__(f"{dotted(path)}: {problem}")
        self.path = path
        self.problem = problem


def dotted(path: tuple[str | int, ...]) -> str:
    """A path inside a YAML file as ``nodes[2].supplies[0]``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


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
                raise TemplateProblem(("nodes", i, "id"), f"duplicate node id {n.id!r}")
            index[n.id] = i
        order = graphlib.TopologicalSorter[str]()  # a supplier before its customers
        where_of: dict[tuple[str, str], tuple[str | int, ...]] = {}
        for i, n in enumerate(self.nodes):
            for j, m in enumerate(n.supplies):
                where = ("nodes", i, "supplies", j)
                if m not in index:
                    raise TemplateProblem(where, f"edge from {n.id!r} to missing node {m!r}")
                if m == n.id:
                    raise TemplateProblem(where, f"node {n.id!r} supplies itself")
                tier = self.nodes[index[m]].tier
                if n.tier in ORDER and tier in ORDER:
                    if ORDER[tier] < ORDER[n.tier]:
                        raise TemplateProblem(
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
            raise TemplateProblem(
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
