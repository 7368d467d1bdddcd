"""The read-only check of the analysts' Cypher passthrough (``zhenkg cypher``).

A statement is scanned as Cypher tokens: string literals, backtick-quoted names, parameters,
property keys (``n.set``), map keys (``{delete: 1}``) and comments are skipped, so only clause
keywords count. The servers enforce read-only access as well (a READ session on Neo4j,
``GRAPH.RO_QUERY`` on FalkorDB); this check gives a clear message before anything is sent.

>>> check_read_only("MATCH (n:Unit {name: 'CREATE'}) RETURN n.set // DELETE")
>>> check_read_only("MATCH (n) DETACH DELETE n")
Traceback (most recent call last):
...
graph.errors.ReadOnlyViolation: DETACH is a write clause: the passthrough is read-only
"""

from __future__ import annotations

import re

from graph.errors import ReadOnlyViolation

WRITE_CLAUSES = frozenset(
    {
        "CREATE",
        "MERGE",
        "SET",
        "DELETE",
        "DETACH",
        "REMOVE",
        "DROP",
        "FOREACH",
        "LOAD",
        "GRANT",
        "DENY",
        "REVOKE",
        "ALTER",
        "RENAME",
        "START",
        "STOP",
        "TERMINATE",
    }
)
# Procedures an analyst may CALL: they only read the schema or search indexes.
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.indexes",
        "db.constraints",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.idx.fulltext.querynodes",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
    }
)

_TOKEN = re.compile(
    r"""
    (?P<skip>
        //[^\n]*                      # line comment
      | /\*.*?(?:\*/|\Z)              # block comment (an unclosed one runs to the end)
      | '(?:[^'\\]|\\.)*(?:'|\Z)      # string literals, escapes included
      | "(?:[^"\\]|\\.)*(?:"|\Z)
      | `[^`]*(?:`|\Z)                # quoted names
      | \$\w+                         # parameters
      | [.:]\s*\w+                    # property keys (n.set), labels and types (:Set)
    )
  | (?P<word>[A-Za-z_][\w.]*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


def words(statement: str) -> list[tuple[str, str]]:
    """The keyword-like tokens of ``statement`` outside literals and comments, each with the
    character that follows it (skipping blanks), so that map keys (``word:``) can be told apart.

    >>> words("MATCH (n {set: 'x'}) // SET")
    [('MATCH', '('), ('n', '{'), ('set', ':')]
    """
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(statement):
        if m.lastgroup != "word":
            continue
        rest = statement[m.end() :].lstrip()
        out.append((m.group("word"), rest[:1]))
    return out


def check_read_only(statement: str) -> None:
    """Refuse a statement that writes, or calls a procedure that is not known to only read.

    Raises:
        ReadOnlyViolation: the statement has a write clause (CREATE, MERGE, SET, DELETE, REMOVE,
            DROP, LOAD CSV, …) or CALLs a procedure outside :data:`READ_PROCEDURES`.
    """
    tokens = words(statement)
    for i, (word, after) in enumerate(tokens):
        upper = word.upper()
        if after == ":":  # a map key such as {delete: 1}
            continue
        if upper in WRITE_CLAUSES:
            raise ReadOnlyViolation(f"{upper} is a write clause: the passthrough is read-only")
        if upper == "CALL" and after != "{":
            name = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            if name.lower() not in READ_PROCEDURES:
                raise ReadOnlyViolation(
                    f"CALL {name or '…'}: only these read procedures may be called: "
                    + ", ".join(sorted(READ_PROCEDURES))
                )
