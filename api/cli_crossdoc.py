"""Many documents on the CLI: ``diff``, ``load``, ``shared``, ``versions`` and ``remove``.

- ``zhenkg diff A B``: A and B are each a file (extracted on the fly), a stored document (id,
  number, file name or title: its current version) or ``REF@N`` (its version N).
- ``zhenkg load UNIT``: a unit's tasks across every document (each region's unit of that name).
- ``zhenkg shared UNIT_A UNIT_B``: the tasks both are on, with each one's role.
- ``zhenkg versions DOC``: a document's version history.
- ``zhenkg remove DOC``: drop a document's facts (placeholders only it cited go too).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api import render
from api.cli import _common, _dump, _store, resolve_unit_name, units_part
from graph.errors import UnknownNode, UnknownUnit

# Every start of the CLI builds this module's parser: graph.merge, queries.diff and
# queries.crossdoc are imported by the commands that use them.
if TYPE_CHECKING:
    from graph.merge import StoredDocument
    from graph.versions import VersionTask
    from queries.service import Questions


def _index(args: argparse.Namespace) -> dict[str, StoredDocument]:
    from graph.merge import stored_documents

    store = _store(args)
    try:
        return stored_documents(store)
    finally:
        store.close()


def side(args: argparse.Namespace, ref: str) -> tuple[str, list[VersionTask]]:
    """A label and the tasks of one side of a diff: a file, a stored document or a version."""
    from graph.versions import version_tasks
    from queries.diff import stored_tasks

    path = Path(ref)
    try:
        is_file = path.is_file()
    except OSError:  # a name too long to be a path is a document reference
        is_file = False
    if is_file:
        from ingest.pipeline import extract_file

        return path.name, version_tasks(extract_file(path))
    try:
        return stored_tasks(_index(args), ref)
    except UnknownNode as exc:
        from ingest.batch import SUPPORTED

        if path.suffix.lower() in SUPPORTED or "/" in ref:
            raise UnknownNode(f"{ref}: no such file, nor a stored document") from exc
        raise


def cmd_diff(args: argparse.Namespace) -> int:
    from queries.diff import diff_lines, diff_tasks

    (a_name, a), (b_name, b) = side(args, args.a), side(args, args.b)
    d = diff_tasks(a, b, a_name, b_name)
    print(_dump(d) if args.json else "\n".join(diff_lines(d)))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from queries import crossdoc

    q = units_part(_store(args), "load", [args.unit])
    loads = [crossdoc.unit_load(q.graph, u) for u in _units(q, args.unit, args.region)]
    if args.json:
        print(_dump(loads))
        return 0
    for n, load in enumerate(loads):
        if n:
            print()
        heads = "、".join(f"{h.name}（{h.title}）" for h in load.heads) or "—"
        print(
            f"{load.name}（{load.region}）：{load.task_count} 项任务，牵头 {load.lead_count}，"
            f"{load.document_count} 个文件；负责人 {heads}"
        )
        for doc in load.documents:
            print(f"  {doc.name}（{doc.doc_number or doc.document}）：{doc.task_count} 项")
            for t in doc.tasks:
                role = render.ROLE_MARK.get(t.role or "", t.role or "")
                print(f"    {t.full_number or t.id} {t.title}  [{role}]")
        if load.groups:
            print("  领导小组：" + "；".join(f"{g.group}：{g.via}" for g in load.groups))
    return 0


def _units(q: Questions, name: str, region: str | None) -> list[str]:
    ids = resolve_unit_name(q, name)
    if region:
        ids = [u for u in ids if q.graph.nodes[u].get("region") == region]
        if not ids:
            raise UnknownUnit(f"No unit named {name!r} in {region}")
    return ids


def cmd_shared(args: argparse.Namespace) -> int:
    from queries import crossdoc

    q = units_part(_store(args), "units", [args.unit_a, args.unit_b])
    rows = crossdoc.shared_tasks(
        q.graph, _units(q, args.unit_a, args.region), _units(q, args.unit_b, args.region)
    )
    if args.json:
        print(_dump(rows))
        return 0
    if not rows:
        print(f"{args.unit_a} 与 {args.unit_b} 没有共同任务")
        return 0
    print(
        render.table(
            ["任务", "标题", args.unit_a, args.unit_b, "文件"],
            [
                [
                    r.task.full_number or r.task.id,
                    r.task.title,
                    render.ROLE_MARK.get(r.role_a, r.role_a),
                    render.ROLE_MARK.get(r.role_b, r.role_b),
                    r.task.document,
                ]
                for r in rows
            ],
        )
    )
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from graph.merge import find_document

    doc = find_document(_index(args), args.document)
    if args.json:
        print(_dump([v.model_dump(mode="json") for v in doc.versions]))
        return 0
    print(f"{doc.id}" + ("（占位：被引用但未导入）" if doc.placeholder else ""))
    print(
        render.table(
            ["版本", "sha256", "文件", "任务数"],
            [
                [v.version, (v.sha256 or "")[:12], v.source or "", len(v.tasks)]
                for v in doc.versions
            ],
        )
    )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from graph.merge import remove_document

    store = _store(args)
    try:
        print(f"removed {remove_document(store, args.document)}")
    finally:
        store.close()
    return 0


def register(sub: Any) -> None:
    """Add the cross-document commands to the ``zhenkg`` parser."""
    p = sub.add_parser("diff", help="compare two documents, files or versions (REF@N)")
    p.add_argument("a", help="file, stored document (id, number, file name, title) or REF@N")
    p.add_argument("b", help="the same, for the other side")
    _common(p)
    p.set_defaults(func=cmd_diff, collect=False)

    p = sub.add_parser("load", help="a unit's tasks across every document")
    p.add_argument("unit", help="unit name (full or alias) or id")
    p.add_argument("--region", help="only the unit of this region")
    _common(p)
    p.set_defaults(func=cmd_load, collect=False)

    p = sub.add_parser("shared", help="tasks two units are both on")
    p.add_argument("unit_a")
    p.add_argument("unit_b")
    p.add_argument("--region", help="only units of this region")
    _common(p)
    p.set_defaults(func=cmd_shared, collect=False)

    p = sub.add_parser("versions", help="a document's version history")
    p.add_argument("document", help="id, number, file name or title")
    _common(p)
    p.set_defaults(func=cmd_versions, collect=False)

    p = sub.add_parser("remove", help="remove a document's facts from the store")
    p.add_argument("document", help="id, number, file name or title")
    _common(p, json_flag=False)
    p.set_defaults(func=cmd_remove)
