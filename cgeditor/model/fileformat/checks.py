"""Checks of single JSON values from a document, each raising a one-line `DocumentError` that
says where the value is and what it should have been."""

from __future__ import annotations

import json
import math
from itertools import chain
from typing import Any

from cgeditor.model.fileformat.schema import (MAX_COORDINATE, MAX_DEPTH, MAX_EXTRA_LENGTH, NONFINITE,
                                              MAX_ID_LENGTH, DocumentError)
from cgeditor.model.graph import Edge

def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise DocumentError(f"duplicate key {show(k)} in a JSON object")
            seen.add(k)
    return result


def no_constants(name: str) -> float:
    raise DocumentError(f'not JSON: bare {name} is not allowed (write the string "nan", "inf" or "-inf")')


def depth(data: Any) -> int:
    """Nesting depth (counted only up to MAX_DEPTH + 1); see `shape`."""
    return shape(data)[0]


def shape(data: Any) -> tuple[int, int]:
    """Nesting depth (counted only up to MAX_DEPTH + 1) and the number of keys of the objects
    within it, without recursion: a hostile document must not exhaust the stack.  Walked a
    level at a time, each level a few comprehensions over every value in it, which keeps a
    200k-node file's check to a few C loops.  `data` is what `json.loads` made: its containers
    are exactly dicts and lists."""
    level = [data] if data.__class__ in _CONTAINERS else []
    depth = keys = 0
    while level and depth <= MAX_DEPTH:
        depth += 1
        objects = [item for item in level if item.__class__ is dict]
        keys += sum(map(len, objects))
        children = chain(chain.from_iterable(map(dict.values, objects)),
                         chain.from_iterable([item for item in level if item.__class__ is list]))
        level = [c for c in children if c.__class__ in _CONTAINERS]
    return depth, keys


_CONTAINERS = frozenset({dict, list})


def check_extra(value: Any, where: str) -> None:
    """Unknown keys are kept, not trusted: their strings are capped and their numbers must save
    back as JSON (1e400 would load as inf and save as a literal no loader accepts)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if len(v) > MAX_EXTRA_LENGTH:
                raise DocumentError(f"{where} holds a string longer than {MAX_EXTRA_LENGTH:,} characters")
        elif isinstance(v, float):
            if not math.isfinite(v):
                raise DocumentError(f"{where} holds a number too large for a float")
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            for k, item in v.items():
                if len(k) > MAX_EXTRA_LENGTH:
                    raise DocumentError(f"{where} holds a key longer than {MAX_EXTRA_LENGTH:,} characters")
                stack.append(item)


def list_field(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise DocumentError(f"\"{key}\" must be a list, got {json_type(value)}")
    return value


def check_id(value: Any, where: str) -> None:
    if not isinstance(value, str) or not value:
        raise DocumentError(f"{where} must be a non-empty string, got {show(value)}")
    if len(value) > MAX_ID_LENGTH:
        raise DocumentError(f"{where} is longer than {MAX_ID_LENGTH} characters")
    if not value.isprintable():
        raise DocumentError(f"{where} {value!r} contains control characters")


def number(value: Any, where: str) -> float:
    if isinstance(value, str) and value in NONFINITE:
        return NONFINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DocumentError(f'{where} must be a number (or "nan", "inf", "-inf"), got {show(value)}')
    try:
        return float(value)
    except OverflowError:
        raise DocumentError(f"{where} is too large for a float") from None


def position(value: Any, where: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise DocumentError(f"{where} must be [x, y], got {show(value)}")
    coords = []
    for c in value:
        if isinstance(c, bool) or not isinstance(c, (int, float)):
            raise DocumentError(f"{where} must be two numbers, got {show(value)}")
        try:
            c = float(c)
        except OverflowError:
            c = math.inf
        if not math.isfinite(c):
            raise DocumentError(f"{where} must be two finite numbers, got {show(value)}")
        if abs(c) > MAX_COORDINATE:
            raise DocumentError(f"{where} is too far out (each coordinate within ±{MAX_COORDINATE:.0e}), "
                                f"got {show(value)}")
        coords.append(c)
    return coords[0], coords[1]


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def show(value: Any) -> str:
    """A short one-line rendering of a JSON value for an error message."""
    if value is None:
        return "nothing"
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def quote(text: str) -> str:
    """A name from the document in quotes, cut short so one line stays one readable line."""
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def edge_name(edge: Edge) -> str:
    return f"{edge.source} → {edge.target}:{edge.port}"
