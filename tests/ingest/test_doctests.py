"""The examples in the docstrings of ingest/ run as tests (pytest collects doctests only from
graph/ and queries/, whose modules import nothing heavy)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ingest

MODULES = sorted(m.name for m in pkgutil.walk_packages(ingest.__path__, "ingest.") if not m.ispkg)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples fail"
