"""Fixtures for the HTTP tests: the sample store with its chains and firms, and a client."""

from __future__ import annotations

import copy
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.fragment import Fragment
from graph.networkx_store import NetworkxStore
from ingest.load import SAMPLE_REGISTER, document_fragment, register_load
from ingest.pipeline import extract_file

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "samples" / "zezhou-2023-17.txt"
TOKEN = "s3cret-token"


def zhenkg() -> list[str]:
    """The ``zhenkg`` console script of this interpreter, or the module."""
    script = Path(sys.executable).with_name("zhenkg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chains_fragment() -> Fragment:
    """What ``zhenkg ingest`` adds beyond the plan (chains, task links) and the sample firms."""
    fragment = document_fragment(extract_file(SAMPLE))
    fragment.merge(register_load(SAMPLE_REGISTER)[0])
    return fragment


@pytest.fixture
def desk_store(sample_store: NetworkxStore, chains_fragment: Fragment) -> NetworkxStore:
    """The shared ``sample_store`` plus the chains and the sample register (fresh per test)."""
    sample_store.load(copy.deepcopy(chains_fragment))
    return sample_store


@pytest.fixture
def settings() -> Settings:
    """Uploads on (with :data:`TOKEN`), a 200 kB limit."""
    return Settings(api_token=TOKEN, max_upload=200_000)


@pytest.fixture
def client(desk_store: NetworkxStore, settings: Settings) -> Iterator[TestClient]:
    """A client of the app over the sample store."""
    with TestClient(create_app(desk_store, settings)) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    """The upload header."""
    return {"Authorization": f"Bearer {TOKEN}"}
