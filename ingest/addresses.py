"""Tasks addressing chain nodes: the chain templates' keywords found in task texts.

A task addresses a chain node when its text holds one of the node's keywords (its name,
keywords and synonyms; spaCy ``PhraseMatcher`` with characters as the tokens, see
:mod:`ingest.keywords`). :func:`match_tasks` and :func:`match_chains` give the occurrences as
:class:`Address` models; :func:`add_addresses` adds them to a fragment as Task -ADDRESSES->
ChainNode edges without building a model per keyword.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from graph.chains import ChainTemplate
from graph.fragment import Fragment
from graph.schema import Label, Rel
from ingest.keywords import Keywords, find_all, keywords_of

__all__ = ["Address", "add_addresses", "address_fragment", "match_chains", "match_tasks"]


class Address(BaseModel):
    """A chain-node keyword found in a task's text; ``span`` is relative to that text."""

    model_config = ConfigDict(extra="forbid")

    task_id: str
    node_id: str
    keyword: str
    span: tuple[int, int]


def match_tasks(chain: ChainTemplate, tasks: Iterable[tuple[str, str]]) -> list[Address]:
    """Link tasks to chain nodes by the nodes' keywords in the task texts.

    Args:
        chain: the chain template whose node names, keywords and synonyms are looked for.
        tasks: ``(task_id, text)`` pairs.

    Returns:
        One address per keyword occurrence and node (a keyword shared by two nodes gives two),
        in task order then text order. Overlapping keywords resolve to the longest
        (检验检测 rather than 检测 inside it).
    """
    return match_chains([chain], tasks)[0]


def match_chains(
    chains: Sequence[ChainTemplate], tasks: Iterable[tuple[str, str]]
) -> list[list[Address]]:
    """:func:`match_tasks` of each chain, all matched on one ``Doc`` (see :mod:`ingest.keywords`)."""
    return [
        [Address(task_id=t, node_id=n, keyword=k, span=(s, e)) for t, n, k, s, e in each]
        for each in _matches(chains, tasks)
    ]


_Match = tuple[str, str, str, int, int]  # task id, node id, keyword, start, end


def _matches(
    chains: Sequence[ChainTemplate],
    tasks: Iterable[tuple[str, str]],
    keywords: Sequence[Keywords] | None = None,
) -> list[list[_Match]]:
    """The addresses of :func:`match_chains` as plain tuples (``keywords``: the chains'
    matchers, when the caller keeps them)."""
    if keywords is None:
        keywords = [keywords_of(chain.model_dump_json()) for chain in chains]
    pairs = list(tasks)
    found = find_all(keywords, [text for _, text in pairs])
    out: list[list[_Match]] = []
    for k, each in zip(keywords, found, strict=True):
        out.append(
            [
                (task_id, node_id, term, start, end)
                for (task_id, _), matches in zip(pairs, each, strict=True)
                for start, end, term in matches
                for node_id in k.nodes[term]
            ]
        )
    return out


def address_fragment(addresses: Iterable[Address], doc: str | None = None) -> Fragment:
    """Task -ADDRESSES-> ChainNode edges; ``doc`` is the document stating the tasks."""
    fragment = Fragment()
    for a in addresses:
        _address(fragment, a.task_id, a.node_id, a.keyword, a.span[0], a.span[1], doc)
    return fragment


def add_addresses(
    fragment: Fragment,
    chains: Sequence[ChainTemplate],
    tasks: Iterable[tuple[str, str]],
    doc: str | None = None,
    keywords: Sequence[Keywords] | None = None,
) -> None:
    """Add the edges of :func:`address_fragment` of each chain's :func:`match_chains`.

    Straight into ``fragment``, without an :class:`Address` model per keyword (validated, a
    few microseconds each, dozens a plan) and a fragment per chain to merge. ``keywords``: the
    chains' matchers (``keywords_of`` each), when the caller keeps them.
    """
    for each in _matches(chains, tasks, keywords):
        for task_id, node_id, keyword, start, end in each:
            _address(fragment, task_id, node_id, keyword, start, end, doc)


def _address(
    fragment: Fragment,
    task_id: str,
    node_id: str,
    keyword: str,
    start: int,
    end: int,
    doc: str | None,
) -> None:
    fragment.node(node_id, Label.CHAIN_NODE)
    fragment.edge(
        task_id,
        node_id,
        Rel.ADDRESSES,
        f"{start}-{end}",
        doc=doc,
        keyword=keyword,
        span=[start, end],
    )
