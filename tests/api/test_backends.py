"""The routes that ask ``Questions`` answer alike over every store backend.

Over a Cypher store (FalkorDB here, Neo4j with ``NEO4J_URI``) the routes and pages built on
``Questions`` answer as over networkx; those that still need the embedded graph say so (501).
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from graph.store import EmbeddedStore, GraphStore

GXJ = "unit:泽州县:县工业和信息化局"
ALIKE = [
    "/tasks",
    "/tasks?unit=县工信局",
    "/units",
    "/units/县工信局/tasks",
    f"/units/{GXJ}/tasks",
    "/matrix",
    "/matrix?region=泽州县&offset=1&limit=3",
    "/matrix?document=泽政办发〔2023〕17号",
    "/coverage",
    "/search?q=县工信局",
    "/search?q=工业和信息化",
    "/chains",
    "/chains/foundry/gaps?town=泽州铸造",
    "/chains/foundry/targets?town=泽州铸造",
    "/gaps",
    f"/graph?focus={GXJ}&depth=1",
    "/graph?focus=县工信局&depth=1&types=Unit,Task",
]
EMBEDDED_ONLY = [
    "/documents",
    "/people",
    "/people/刘宽利",
    "/groups",
    "/tasks/三.5",
    "/units/县工信局",
]
PAGES = [
    "/",
    "/pages/matrix",
    "/pages/units",
    "/pages/chains",
    "/pages/chains/foundry",
    f"/pages/explorer?focus={GXJ}&depth=1",
]


def canonical(url: str, body: Any) -> Any:
    """Answers whose order is not part of the contract, put in order."""
    if url.startswith("/graph"):
        return (
            sorted(n["id"] for n in body["nodes"]),
            sorted((x["source"], x["target"], x["type"]) for x in body["links"]),
        )
    return body


def loaded(store: GraphStore, fragments: list[Fragment]) -> GraphStore:
    for fragment in fragments:
        store.load(copy.deepcopy(fragment))
    return store


def test_question_routes_answer_alike(
    store: GraphStore, sample_fragment: Fragment, chains_fragment: Fragment
) -> None:
    fragments = [sample_fragment, chains_fragment]
    ours = TestClient(create_app(loaded(store, fragments), Settings()))
    reference = TestClient(create_app(loaded(NetworkxStore(None), fragments), Settings()))
    for url in ALIKE:
        got, expected = ours.get(url), reference.get(url)
        assert got.status_code == expected.status_code == 200, (url, got.text[:300])
        assert canonical(url, got.json()) == canonical(url, expected.json()), url
    for url in PAGES:
        assert ours.get(url).status_code == 200, url
    for url in EMBEDDED_ONLY:
        response = ours.get(url)
        expected_code = 200 if isinstance(store, EmbeddedStore) else 501
        assert response.status_code == expected_code, (url, response.text[:300])
