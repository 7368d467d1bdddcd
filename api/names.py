"""Names as users type them: a unit in full, by id, or by an alias the roster knows (县工信局)."""

from __future__ import annotations

from collections.abc import Callable

from graph.errors import UnknownUnit


def with_aliases(lookup: Callable[[str], list[str]], ref: str) -> list[str]:
    """``lookup(ref)``; when it knows no such unit, ``lookup`` of the roster's canonical name.

    Raises:
        UnknownUnit: neither ``ref`` nor its canonical name is a unit.
    """
    try:
        return lookup(ref)
    except UnknownUnit:
        from ingest.resolve import Roster  # the roster is read only when a name needs it

        canonical = Roster.bundled().canonical(ref, None)
        if canonical == ref:
            raise
        return lookup(canonical)
