"""Putting a key back at its old place in a dict's order, which exact undo needs."""


def inserted(mapping: dict, key, value, index: int | None) -> dict:
    """`mapping` with `key` added last, or at place `index` of its order (undoing a removal
    exactly); appending changes the dict in place, inserting builds a new one."""
    if index is None or index >= len(mapping):
        mapping[key] = value
        return mapping
    items = list(mapping.items())
    items.insert(index, (key, value))
    return dict(items)
