"""Small classes with slots whose equality, hash and repr follow their fields, optionally
read-only: what `@dataclass` gave the model's records.

Not dataclasses, because `cgeditor eval` on a student's file spent a sixth of its time
importing that module (it brings inspect, ast and dis) and generating and compiling methods
for each class at import.  A record lists its fields in `__slots__` and writes its own
`__init__`, taking them in that order (the signature stays visible); a `Frozen` one sets them
with `_set`.
"""

from __future__ import annotations

from operator import attrgetter


class Record:
    """Equal to a record of its own class with equal fields (in `__slots__` order); mutable,
    so unhashable, as a dataclass is."""

    __slots__ = ()
    _field_values: tuple  # the values of the fields, in order (each class's own, read in C)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        names = cls.__slots__
        if len(names) > 1:
            cls._field_values = property(attrgetter(*names))  # type: ignore[assignment]
        elif names:
            cls._field_values = property(lambda self, get=attrgetter(names[0]): (get(self),))  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._field_values == other._field_values  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self.__slots__, self._field_values))
        return f"{type(self).__name__}({shown})"


class Frozen(Record):
    """A read-only record, hashable if its fields are."""

    __slots__ = ()

    def _set(self, *values: object) -> None:
        """Give the fields their values, in `__slots__` order (only `__init__` calls this)."""
        for name, value in zip(self.__slots__, values):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only (cannot delete {name!r})")

    def __hash__(self) -> int:
        return hash(self._field_values)

    def __reduce__(self) -> tuple:
        """Copied and pickled through `__init__`, which takes the fields in `__slots__` order."""
        return type(self), self._field_values
