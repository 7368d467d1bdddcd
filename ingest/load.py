"""What one ingest puts into a store: a document's facts plus its links to the industry chains.

The chain templates (``data/chains/*.yaml``, or ``$ZHENKG_CHAINS``) and the town bindings are
reference data: every document fragment carries them, so a fresh store is complete after its
first ingest, and an edited template replaces its old edges the next time anything is loaded.
(A batch lets its first document carry them for the rest when they are the same for every
document — every town binding names its region, :func:`shared_reference` — since restated
unchanged they cost a tenth of a plan's write and change nothing.)
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from graph.build import document_key, record_fragment
from graph.chain_files import load_chains, load_town_bindings
from graph.chain_fragments import binding_fragment, chain_fragment, register_fragment
from graph.chains import ChainTemplate, Register, TownBinding
from graph.fragment import Fragment
from graph.merge import Merged, load_document
from graph.record import Record
from graph.schema import Rel, chain_id, document_id, person_id, task_id
from graph.store import GraphStore
from ingest.addresses import add_addresses
from ingest.firms import import_register
from ingest.keywords import Keywords, keywords_of

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE_REGISTER = DATA / "firms" / "zezhou-sample.csv"
DEFAULT_REGION = "未知地区"


def chains_dir() -> Path:
    """Folder of chain templates: ``$ZHENKG_CHAINS`` or the bundled ``data/chains``."""
    return _folder(os.environ.get("ZHENKG_CHAINS"))


@lru_cache(maxsize=8)
def _folder(variable: str | None) -> Path:
    # a plan looks the folder up four times: one Path per value of the variable, not per look-up
    return Path(variable) if variable is not None else DATA / "chains"


@lru_cache(maxsize=4)
def _chains(folder: str) -> tuple[dict[str, ChainTemplate], list[TownBinding]]:
    chains = load_chains(folder)
    towns = Path(folder) / "towns.yaml"
    bindings = load_town_bindings(towns, chains) if towns.exists() else []
    return chains, bindings


def chains() -> dict[str, ChainTemplate]:
    """The chain templates by id."""
    return _chains(str(chains_dir()))[0]


def bindings() -> list[TownBinding]:
    """Which chain each specialised town features."""
    return _chains(str(chains_dir()))[1]


def reference_fragment(region: str | None = None) -> Fragment:
    """Every chain template and the town bindings."""
    f = Fragment()
    _add_reference(f, region)
    return f


def _add_reference(f: Fragment, region: str | None) -> None:
    """Merge the chain templates and the town bindings into ``f``.

    The merge copies the nodes' attributes and shares the edges, which no store changes: the
    templates' edges are built once and every document's fragment holds the same ones.
    """
    folder = str(chains_dir())
    f.merge(_templates_fragment(folder))
    f.merge(_bindings_fragment(folder, region or DEFAULT_REGION))


def shared_reference() -> bool:
    """Whether every document states the same reference: each town binding names its region
    (one that names none binds the town in the region of the document loading it)."""
    return all(b.region for b in bindings())


@lru_cache(maxsize=4)
def _templates_fragment(folder: str) -> Fragment:
    """The chain templates of ``folder`` as one fragment, built once (merged, never changed)."""
    f = Fragment()
    for template in _chains(folder)[0].values():
        f.merge(chain_fragment(template))
    return f


@lru_cache(maxsize=64)
def _bindings_fragment(folder: str, region: str) -> Fragment:
    """The town bindings of ``folder`` for documents of ``region`` (merged, never changed)."""
    return binding_fragment(_chains(folder)[1], region)


def chains_for(record: Record) -> list[ChainTemplate]:
    """Chains bound to the towns a document names; every chain when it names none of them."""
    return [chains()[cid] for cid in _chains_for(str(chains_dir()), tuple(record.towns))]


@lru_cache(maxsize=256)
def _chains_for(folder: str, towns: tuple[str, ...]) -> tuple[str, ...]:
    """The ids of :func:`chains_for`, per folder and towns named (plans of a county name the
    same few towns; the bindings were scanned once a plan)."""
    chains, bindings = _chains(folder)
    named = {b.chain for b in bindings if b.town in towns}
    return tuple(cid for cid in chains if cid in named) or tuple(chains)


def _keywords(record: Record) -> list[Keywords]:
    """The matchers of :func:`chains_for`, kept per folder and chain (``keywords_of`` is keyed
    by a template's JSON, which costs a dump per chain and plan)."""
    folder = str(chains_dir())
    mine = _all_keywords(folder)
    return [mine[cid] for cid in _chains_for(folder, tuple(record.towns))]


@lru_cache(maxsize=4)
def _all_keywords(folder: str) -> dict[str, Keywords]:
    return {cid: keywords_of(c.model_dump_json()) for cid, c in _chains(folder)[0].items()}


def document_fragment(record: Record, reference: bool = True) -> Fragment:
    """A document's facts, its tasks' ADDRESSES links to chain nodes, and its chain leaders;
    with the chain templates and town bindings unless ``reference`` is false (an earlier
    document of the batch stored the same ones: :func:`shared_reference`)."""
    f = record_fragment(record)
    if reference:
        _add_reference(f, record.document.region)
    key = document_key(record)
    did = document_id(key)
    tasks = [(task_id(key, t.id), t.text or t.title) for t in record.tasks]
    add_addresses(f, (), tasks, did, _keywords(record))  # the matchers stand for the chains
    region = record.document.region or DEFAULT_REGION
    for group in record.groups:
        for member in group.members:
            if member.chain:
                for cid, template in chains().items():
                    if _names_chain(member.chain, template):
                        f.edge(
                            person_id(region, member.name),
                            chain_id(cid),
                            Rel.LEADS_CHAIN,
                            doc=did,
                            text=member.chain,
                        )
    return f


def store_record(store: GraphStore, record: Record, reference: bool = True) -> Merged:
    """Merge a document into a store with its chain links, citations and version history (and
    the chain templates and town bindings, unless ``reference`` is false)."""
    return load_document(store, record, document_fragment(record, reference))


def _names_chain(text: str, template: ChainTemplate) -> bool:
    core = text.removesuffix("链长").removesuffix("产业链").removesuffix("产业").strip()
    return bool(core) and (core in template.name or template.name in core)


def register_load(path: str | Path, region: str | None = None) -> tuple[Fragment, Register]:
    """A register's firms as a fragment (with the chains they point at), and the import report."""
    register = import_register(path, chains(), bindings())
    f = reference_fragment(region)
    f.merge(register_fragment(register, region or _region_of_bindings() or DEFAULT_REGION))
    return f, register


def _region_of_bindings() -> str | None:
    regions = {b.region for b in bindings() if b.region}
    return regions.pop() if len(regions) == 1 else None
