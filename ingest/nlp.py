"""The spaCy that ingest uses, in one place, imported without spaCy's command line.

Every ingest module takes its spaCy names from here, so :func:`import_spacy` runs before
spaCy's package ``__init__`` does, whichever module a process imports first.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: the real command, imported on first use."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> None:
    """Import spaCy without its command-line modules (a no-op once spaCy is imported).

    spaCy's ``__init__`` imports ``spacy.cli.info`` for ``spacy.info``, and with it typer,
    weasel, requests and httpx: ~0.2 s of CPU in a start-up of ~1 s, for commands zhenkg never
    runs. While spaCy initialises, ``spacy.cli`` and ``spacy.cli.info`` are placeholders whose
    ``info`` imports the real command when called; then they are removed, so a later ``import
    spacy.cli`` loads the real package. Should a spaCy release need more of ``spacy.cli``
    while it initialises, the placeholders are dropped and spaCy is imported as it is.
    """
    if "spacy" in sys.modules:
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package with no submodules of its own
    info = types.ModuleType("spacy.cli.info")
    info.__dict__["info"] = _info
    placeholders = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(placeholders)
    try:
        importlib.import_module("spacy")
    except ImportError:
        pass
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        package = sys.modules.get("spacy")
        if package is not None and package.__dict__.get("cli") is cli:
            del package.__dict__["cli"]
    if "spacy" not in sys.modules:
        importlib.import_module("spacy")  # as it is, command line and all


import_spacy()

import spacy  # noqa: E402  (after the placeholders did their work)
from spacy.lang.zh import Chinese, ChineseTokenizer  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.matcher import PhraseMatcher  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import filter_spans  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

__all__ = [
    "Chinese",
    "ChineseTokenizer",
    "Doc",
    "Language",
    "PhraseMatcher",
    "Span",
    "Vocab",
    "filter_spans",
    "import_spacy",
    "spacy",
]
