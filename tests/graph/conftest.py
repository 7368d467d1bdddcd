"""Fixtures for the graph-layer tests: writing chain templates to temporary files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHAINS = REPO / "data" / "chains"

TemplateWriter = Callable[[str, str], Path]


@pytest.fixture
def write_template(tmp_path: Path) -> TemplateWriter:
    """Write YAML text to ``tmp_path/<name>`` and return the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def chains_dir() -> Path:
    """The shipped templates folder."""
    return CHAINS
