"""Re-encode fakesnow's Arrow results as Snowflake JSON rowsets.

The Node snowflake-sdk reads only JSON results: `rowset` is an array of rows, each cell a
string or null, encoded per the column's `rowtype` the way Snowflake does it (and the way
the driver's lib/connection/result/column.js decodes it):

  fixed / real      decimal text ("42", "1.50", "0.1")
  boolean           "1" / "0"
  date              days since 1970-01-01
  time              seconds since midnight, with `scale` fraction digits
  timestamp_ntz/ltz epoch seconds, with `scale` fraction digits
  timestamp_tz      epoch seconds with fraction, a space, then 1440 + the UTC offset in minutes
                    (result version 1)
  binary            upper-case hex
  variant/object/array  JSON text
  text              as is
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import math
from typing import Any

import pyarrow as pa

EPOCH_DATE = dt.date(1970, 1, 1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def read_ipc(rowset_base64: str) -> pa.Table | None:
    if not rowset_base64:
        return None
    data = base64.b64decode(rowset_base64)
    with pa.ipc.open_stream(pa.py_buffer(data)) as reader:
        return reader.read_all()


def to_json_rowset(table: pa.Table | None, rowtype: list[dict[str, Any]]) -> list[list[str | None]]:
    if table is None or table.num_rows == 0:
        return []
    if table.num_columns != len(rowtype):
        raise ValueError(f"result has {table.num_columns} columns but rowtype describes {len(rowtype)}")
    columns = [
        [encode(value, table.schema.field(i).type, rowtype[i]) for value in _cells(table.column(i))]
        for i in range(table.num_columns)
    ]
    return [list(row) for row in zip(*columns)]


def _cells(column: pa.ChunkedArray) -> list[Any]:
    t = column.type
    # read dates and times as raw integers: exact, and no Python range limits
    if pa.types.is_date32(t):
        return column.cast(pa.int32()).to_pylist()
    if pa.types.is_time(t):
        return [None if v is None else ("time_raw", v, t.unit) for v in column.cast(pa.int64()).to_pylist()]
    if pa.types.is_timestamp(t):
        return [None if v is None else ("ts_raw", v, t.unit) for v in column.cast(pa.int64()).to_pylist()]
    return column.to_pylist()


_UNIT_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def encode(value: Any, arrow_type: pa.DataType, col: dict[str, Any]) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict) and "epoch" in value and value["epoch"] is None:
        # fakesnow's timestamp structs lose the null bit: a null epoch is a null timestamp
        return None
    sf_type = str(col.get("type", "text")).lower()
    scale = col.get("scale") or 0

    if sf_type in ("fixed", "real"):
        return _number(value)
    if sf_type == "boolean":
        return "1" if value else "0"
    if sf_type == "date":
        return str(value if isinstance(value, int) else (value - EPOCH_DATE).days)
    if sf_type == "time":
        return _seconds(_to_nanos(value, arrow_type, time_of_day=True), scale)
    if sf_type in ("timestamp_ntz", "timestamp_ltz"):
        return _seconds(_to_nanos(value, arrow_type), scale)
    if sf_type == "timestamp_tz":
        nanos = _to_nanos(value, arrow_type)
        offset_minutes = value.get("timezone", 1440) - 1440 if isinstance(value, dict) else 0
        return f"{_seconds(nanos, scale)} {1440 + offset_minutes}"
    if sf_type == "binary":
        return bytes(value).hex().upper()
    if sf_type in ("variant", "object", "array", "map"):
        return value if isinstance(value, str) else json.dumps(value, default=str)
    return value if isinstance(value, str) else str(value)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, float):
        # Node parses with Number(): spell the non-finite values so it reads them back
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)


def _to_nanos(value: Any, arrow_type: pa.DataType, time_of_day: bool = False) -> int:
    """Nanoseconds since the epoch (or midnight) from whatever shape the column arrived in."""
    if isinstance(value, tuple) and value[0] in ("ts_raw", "time_raw"):
        _, raw, unit = value
        return raw * (1_000_000_000 // _UNIT_PER_SECOND[unit])
    if isinstance(value, dict) and "epoch" in value:
        # fakesnow's Snowflake-style struct: whole seconds plus nanoseconds
        return value["epoch"] * 1_000_000_000 + value.get("fraction", 0)
    if isinstance(value, int):
        # fakesnow sends TIME as int64 nanoseconds
        return value
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        delta = aware - EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    if isinstance(value, dt.time) and time_of_day:
        return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000_000 + value.microsecond * 1_000
    raise ValueError(f"cannot read a time value from {type(value).__name__} ({arrow_type})")


def _seconds(nanos: int, scale: int) -> str:
    """Seconds with exactly `scale` fraction digits; floor division keeps negatives exact."""
    scale = max(0, min(int(scale), 9))
    units = nanos // 10 ** (9 - scale)
    if scale == 0:
        return str(units)
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**scale)
    return f"{sign}{whole}.{frac:0{scale}d}"
