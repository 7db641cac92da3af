"""JSON columns that also take a document already written as JSON text, and store it as it is.

An assessment's JSON is written once, faster than `json.dumps` would write it again
(`certify.services.assessment_json`), and is the same text: a `Written` value is bound as that
text instead of being serialized anew. Any other value is serialized as a `JSON` column does, and
reading gives the parsed document either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class Written(str):
    """A JSON document, already written as text."""

    __slots__ = ()


def _as_written(value: Written) -> str:
    return str.__str__(value)


class Document(TypeDecorator[Any]):
    """A `JSON` column that binds `Written` text as it is."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        serialize = super().bind_processor(dialect)
        wrap = getattr(dialect, "_psycopg_Json", None)  # psycopg adapts JSON through its own wrapper

        def bind(value: Any) -> Any:
            if value.__class__ is Written:
                return _as_written(value) if wrap is None else wrap(value, dumps=_as_written)
            return value if serialize is None else serialize(value)

        return bind
