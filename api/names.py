"""Names as users type them: a unit in full, by id, or by an alias the roster knows (县工信局)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from graph.errors import UnknownNode, UnknownUnit


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


class UnknownRegion(UnknownNode):
    """A region no unit of the store belongs to (404 in the API)."""


def check_region(regions: Iterable[str | None], region: str | None) -> None:
    """Refuse a ``region`` filter that names no region of the store.

    Raises:
        UnknownRegion: no unit is of ``region``.
    """
    if region is not None and region not in set(regions):
        raise UnknownRegion(f"No region {region!r} in the store")
