"""One root exception for everything zhenkg raises on purpose.

The CLI prints these as one line and exits non-zero; the API maps them to HTTP codes in one
place (``api.errors``). Anything else escaping is a bug.
"""

from __future__ import annotations


class ZhenkgError(Exception):
    """Root of every error zhenkg raises deliberately."""


class UnreadableDocument(ZhenkgError):
    """The file is missing, empty, binary, encrypted, corrupt or of an unsupported type."""


class UnknownUnit(ZhenkgError):
    """No unit of that name (or alias) exists in the store."""


class UnknownTask(ZhenkgError):
    """No task with that id or title exists in the store."""


class UnknownNode(ZhenkgError):
    """No node with that id exists in the store."""


class UnknownChain(ZhenkgError):
    """No industry chain with that id or name is loaded."""


class AnswerTooLarge(ZhenkgError):
    """An answer would carry more than one reply should (the whole graph of a province): the
    message says how many and how to narrow the question; ``size`` is how many."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


class TownNeeded(ZhenkgError):
    """A question about one county's chain (investment targets) was asked without its town."""


class InvalidChainTemplate(ZhenkgError):
    """A chain template file is malformed (the message names file, line and problem)."""


class InvalidRegister(ZhenkgError):
    """An enterprise register has bad rows (the message names the rows)."""


class StoreUnavailable(ZhenkgError):
    """The store cannot be opened, locked or reached."""


class NeedsEmbeddedStore(ZhenkgError):
    """The question is answered only over the embedded (networkx) store so far."""


class CypherError(ZhenkgError):
    """A Cypher server refused a statement (syntax, types) — in the passthrough or a bug here."""


class ReadOnlyViolation(ZhenkgError):
    """A write clause was sent through the read-only Cypher passthrough."""


class OverBudget(UnreadableDocument):
    """A document passes a reader's budget (depth, unpacked size, pages, time to read it)."""


class InvalidSetting(ZhenkgError):
    """An environment setting (``ZHENKG_MAX_SECONDS`` …) holds a value that is not allowed."""
