"""Reading chain templates and town bindings from YAML: every problem named by file, line
and the path inside the file.

>>> from pathlib import Path
>>> chains = load_chains(Path(__file__).parents[1] / "data" / "chains")
>>> all(t.file is not None for t in chains.values())
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from graph.chains import BINDINGS_FILE, ChainTemplate, TemplateProblem, Tier, TownBinding, dotted
from graph.errors import InvalidChainTemplate, UnknownChain


def _line(root: yaml.Node | None, path: tuple[str | int, ...]) -> int:
    """1-based line of the deepest YAML node ``path`` reaches (its parent when it is absent)."""
    if root is None:
        return 1
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if getattr(k, "value", None) == str(part)]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


# libyaml's parser when PyYAML has it (ten times the pure-Python one), with the same marks.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Data and composed node tree (for line marks) of a YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidChainTemplate(f"{path}: unreadable ({exc})") from exc
    loader = SAFE_LOADER(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidChainTemplate(f"{path}:{line}: YAML syntax error: {problem}") from exc
    finally:
        loader.dispose()
    return data, root


def _describe(error: Any) -> str:
    if error["type"] == "enum" and error["loc"][-1:] == ("tier",):
        return f"unknown tier {error['input']!r} (expected {', '.join(t.value for t in Tier)})"
    if error["type"] == "string_pattern_mismatch" and "codes" in error["loc"]:
        return f"code {error['input']!r} is not a GB/T 4754 code written as a string (e.g. '0511')"
    if error["type"] == "string_type" and "codes" in error["loc"]:
        return f"code {error['input']!r} must be quoted (a number loses leading zeros)"
    if error["type"] == "extra_forbidden":
        return f"unknown field {error['loc'][-1]!r}"
    return str(error["msg"])


def load_chain(path: Path | str) -> ChainTemplate:
    """Read and check one chain template.

    Raises:
        InvalidChainTemplate: ``<file>:<line>: <where>: <problem>`` for every problem found
            (unknown tier, edge to a missing node, a cycle the tier order forbids, bad field).
    """
    path = Path(path)
    data, root = _read_yaml(path)
    if not isinstance(data, dict):
        raise InvalidChainTemplate(f"{path}:1: a chain template is a mapping with id and nodes")
    try:
        template = ChainTemplate.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{path}:{_line(root, tuple(e['loc']))}: {dotted(tuple(e['loc']))}: {_describe(e)}"
            for e in exc.errors()
        ]
        raise InvalidChainTemplate("; ".join(problems)) from exc
    except TemplateProblem as exc:
        raise InvalidChainTemplate(f"{path}:{_line(root, exc.path)}: {exc}") from exc
    return template.model_copy(update={"file": path.name})


def load_chains(folder: Path | str) -> dict[str, ChainTemplate]:
    """Every template ``*.yaml`` / ``*.yml`` in ``folder`` (not ``towns.yaml``), by chain id.

    Raises:
        InvalidChainTemplate: a file is malformed, or two files declare the same chain id.
    """
    chains: dict[str, ChainTemplate] = {}
    files = sorted(p for p in Path(folder).glob("*.y*ml") if p.suffix in {".yaml", ".yml"})
    for path in files:
        if path.name == BINDINGS_FILE:
            continue
        template = load_chain(path)
        if template.id in chains:
            raise InvalidChainTemplate(
                f"{path}:1: chain id {template.id!r} already declared in {chains[template.id].file}"
            )
        chains[template.id] = template
    return chains


def load_town_bindings(
    path: Path | str, chains: Mapping[str, ChainTemplate] | None = None
) -> list[TownBinding]:
    """Read ``towns.yaml``: ``<town>: {chain: <id>, region: <region>}`` or ``<town>: <id>``.

    Raises:
        InvalidChainTemplate: the file is malformed (file and line in the message).
        UnknownChain: ``chains`` is given and a town is bound to a chain not in it.
    """
    path = Path(path)
    data, root = _read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InvalidChainTemplate(f"{path}:1: expected a mapping of town → chain")
    bindings: list[TownBinding] = []
    for town, value in data.items():
        entry = {"chain": value} if isinstance(value, str) else value
        keys = root.value if isinstance(root, yaml.MappingNode) else []
        line = next((k.start_mark.line + 1 for k, _ in keys if k.value == str(town)), 1)
        if not isinstance(entry, dict):
            raise InvalidChainTemplate(f"{path}:{line}: {town}: expected a chain id or mapping")
        try:
            binding = TownBinding.model_validate({"town": str(town), **entry})
        except ValidationError as exc:
            problems = "; ".join(f"{dotted(tuple(e['loc']))}: {e['msg']}" for e in exc.errors())
            raise InvalidChainTemplate(f"{path}:{line}: {town}: {problems}") from exc
        if chains is not None and binding.chain not in chains:
            raise UnknownChain(
                f"{path}:{line}: town {binding.town!r} is bound to chain {binding.chain!r}, "
                f"not among the loaded chains {sorted(chains)}"
            )
        bindings.append(binding)
    return bindings
