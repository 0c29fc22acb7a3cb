"""Placeholder resolution: publishes the entities table unchanged (filled in by the resolver)."""

from __future__ import annotations

import pyarrow as pa


def resolve_tables(writer) -> dict[str, pa.Table]:
    return {}
