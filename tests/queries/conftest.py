"""Fixtures for the gap queries: a small hand-made chain and graphs built from fragments."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest

from graph.chain_fragments import chain_fragment, register_fragment
from graph.chains import ChainNode, ChainTemplate, Register, RegisterRow
from graph.networkx_store import apply_fragment
from graph.schema import chain_node_id

REGION = "测试县"


@pytest.fixture
def mini() -> ChainTemplate:
    """ore → smelt → cast → {pipe, valve}; sand → cast; lab (services) serves cast and pipe.

    ``ore``, ``sand`` upstream; ``smelt``, ``cast`` midstream; ``pipe``, ``valve`` downstream.
    """
    return ChainTemplate(
        id="mini",
        name="迷你链",
        nodes=[
            ChainNode(id="ore", name="矿石", tier="upstream", supplies=["smelt"]),
            ChainNode(id="sand", name="型砂", tier="upstream", supplies=["cast"]),
            ChainNode(id="smelt", name="熔炼", tier="midstream", supplies=["cast"]),
            ChainNode(id="cast", name="铸造", tier="midstream", supplies=["pipe", "valve"]),
            ChainNode(id="pipe", name="铸管", tier="downstream", keywords=["球墨铸管"]),
            ChainNode(id="valve", name="阀门", tier="downstream"),
            ChainNode(id="lab", name="检验检测", tier="services", supplies=["cast", "pipe"]),
        ],
    )


Firms = list[tuple[str, str, list[str]]]  # (firm name, town, local node ids)


@pytest.fixture
def build(mini: ChainTemplate) -> Callable[[Firms], nx.MultiDiGraph]:
    """A graph holding the ``mini`` chain and a register of the given firms."""

    def build(firms: Firms) -> nx.MultiDiGraph:
        rows = [
            RegisterRow(
                row=i + 2,
                name=name,
                town=town,
                nodes=[chain_node_id("mini", n) for n in nodes],
                matched_by="node" if nodes else None,
            )
            for i, (name, town, nodes) in enumerate(firms)
        ]
        G = nx.MultiDiGraph()
        apply_fragment(G, chain_fragment(mini))
        apply_fragment(G, register_fragment(Register(file="r.csv", rows=rows), REGION))
        return G

    return build
