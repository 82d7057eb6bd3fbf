"""An engine failure as one clear line naming the table, never a stack trace (DuckDB, Spark and the database).

``EngineError`` carries "spark: table person: [UNRESOLVED_COLUMN...] ..." — the engine, the CDM table(s) the
statement read, and the first line of what the engine said (for a Java exception its message, not its trace).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from core.i18n import N_, Message

_TABLE_WORD = re.compile(r"\b(?:raw_)?([a-z_]+)\b", re.IGNORECASE)
READ_FAILED = N_("{engine}: cannot read {tables}: {detail}")


class EngineError(RuntimeError):
    """An engine could not read or compute a table; the message is one line."""


def tables_in(sql: str) -> list[str]:
    """The CDM tables a statement names (``raw_person`` and ``person`` as ``person``), in the order of COLUMNS."""
    from rwd.cdm import COLUMNS

    words = {m.group(1).lower() for m in _TABLE_WORD.finditer(sql)}
    return [table for table in COLUMNS if table in words]


def first_line(exc: BaseException) -> str:
    """What the engine said, on one line: a Java exception's own message, never its trace."""
    java = getattr(exc, "java_exception", None)
    text = ""
    if java is not None:
        try:
            text = str(java.getMessage() or java.toString())
        except Exception:
            text = ""
    text = text or str(exc) or type(exc).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("at ")]
    line = lines[0] if lines else type(exc).__name__
    if line.startswith("An error occurred while calling") and len(lines) > 1:  # py4j's wrapper line
        line = lines[1].lstrip(": ")
    line = re.sub(r"^(org\.apache\.spark\.sql\.|java\.[a-z.]+\.)\w+:\s*", "", line)
    return line[:300]


def engine_failure(engine: str, tables: list[str], exc: BaseException) -> EngineError:
    names = ", ".join(f"table {table}" for table in tables) or "the extract"
    return EngineError(Message(READ_FAILED, engine=engine, tables=names, detail=first_line(exc)))


def duckdb_errors() -> tuple[type[BaseException], ...]:
    import duckdb

    return (duckdb.Error,)


def spark_errors() -> tuple[type[BaseException], ...]:
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


def table_of_file(name: str, *_rest) -> list[str]:
    return [name.removeprefix("raw_")]


def table_of_sql(sql: str, *_rest) -> list[str]:
    return tables_in(sql)


def clear_errors(errors: Callable[[], tuple[type[BaseException], ...]], tables: Callable[..., list[str]]):
    """Decorate an engine method: ``errors()`` raised by it become one ``EngineError`` naming ``tables(*args)``."""
    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except EngineError:
                raise
            except Exception as exc:
                if not isinstance(exc, errors()):
                    raise
                raise engine_failure(self.name, tables(*args), exc) from None
        return run
    return wrap
