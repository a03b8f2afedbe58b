"""The KB's structure, checked against its JSON Schema with the standard library alone.

The schema (knowledge-base.schema.json, beside this module) is the one statement of the KB's shape: the
site builder checks the YAML source with it, the engine a KB given as JSON, and editors read it. It uses
few keywords ($ref, type, properties, additionalProperties, required, items, enum, pattern and the length
and count bounds), so a small interpreter here replaces a third-party validator that the engine, which
must run on the standard library alone, cannot have.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from checklist.kbproblems import DataPath, Finding

SCHEMA_NAME = "knowledge-base.schema.json"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema that the site also publishes for editors."""
    loaded: dict[str, Any] = json.loads(files("checklist").joinpath(SCHEMA_NAME).read_text("utf-8"))
    return loaded


_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is(value: object, kind: str) -> bool:
    if kind in ("integer", "number"):
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        return kind == "number" or float(value).is_integer()
    return isinstance(value, _TYPES[kind])


def _type_name(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "empty"}.get(
        type(value), type(value).__name__
    )


def _resolve(ref: str) -> dict[str, Any]:
    node: Any = schema()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return dict(node)


def _errors(value: Any, rule: dict[str, Any], path: DataPath) -> Iterator[Finding]:
    """Every way ``value`` breaks ``rule``, in the schema's keyword order, as jsonschema reports them."""
    for keyword, expected in rule.items():
        if keyword == "$ref":
            yield from _errors(value, _resolve(expected), path)
        elif keyword == "type" and not _is(value, expected):
            article = "an" if expected[0] in "aeiou" else "a"
            yield path, f"must be {article} {expected}, not {_type_name(value)}"
        elif keyword == "enum" and value not in expected:
            yield path, f"must be one of {', '.join(map(str, expected))} (got {value!r})"
        elif isinstance(value, str):
            yield from _string_errors(value, keyword, expected, rule, path)
        elif isinstance(value, list):
            yield from _list_errors(value, keyword, expected, path)
        elif isinstance(value, dict):
            yield from _object_errors(value, keyword, expected, rule, path)


def _string_errors(
    value: str, keyword: str, expected: Any, rule: dict[str, Any], path: DataPath
) -> Iterator[Finding]:
    if keyword == "pattern" and not re.search(expected, value):
        if expected == "\\S":
            yield path, "must not be blank"
        else:
            hint = rule.get("description") or f"the pattern {expected}"
            yield path, f"{value!r} is not valid: {hint[0].lower() + hint[1:]}"
    elif keyword == "minLength" and len(value) < expected:
        yield path, f"must be at least {expected} characters (has {len(value)})"
    elif keyword == "maxLength" and len(value) > expected:
        yield path, f"must be at most {expected} characters (has {len(value)})"


def _list_errors(value: list[Any], keyword: str, expected: Any, path: DataPath) -> Iterator[Finding]:
    if keyword == "items":
        for index, item in enumerate(value):
            yield from _errors(item, expected, (*path, index))
    elif keyword == "minItems" and len(value) < expected:
        yield path, f"must have at least {expected} entries (has {len(value)})"
    elif keyword == "maxItems" and len(value) > expected:
        yield path, f"must have at most {expected} entries (has {len(value)})"
    elif keyword == "uniqueItems" and expected:
        seen = [json.dumps(item, sort_keys=True) for item in value]
        if len(set(seen)) < len(seen):
            yield path, "lists the same entry twice"


def _object_errors(
    value: dict[str, Any], keyword: str, expected: Any, rule: dict[str, Any], path: DataPath
) -> Iterator[Finding]:
    if keyword == "properties":
        for name, child in expected.items():
            if name in value:
                yield from _errors(value[name], child, (*path, name))
    elif keyword == "required":
        missing = [name for name in expected if name not in value]
        if missing:
            yield path, "missing required field " + ", ".join(f"'{name}'" for name in missing)
    elif keyword == "additionalProperties" and expected is False:
        allowed = sorted(rule.get("properties", {}))
        extra = sorted(set(value) - set(allowed))
        if extra:
            yield (*path, extra[0]), f"unknown field '{extra[0]}' (allowed: {', '.join(allowed)})"


def structure(data: Any) -> list[Finding]:
    """What breaks the schema, one finding per field (an empty string is not also "blank")."""
    findings: list[Finding] = []
    broken: set[DataPath] = set()
    for path, message in _errors(data, schema(), ()):
        if path not in broken:
            broken.add(path)
            findings.append((path, message))
    return findings
