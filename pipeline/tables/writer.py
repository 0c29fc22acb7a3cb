"""Atomic, appendable Parquet output.

Each table is a directory of part files (`DIR/mentions/part-….parquet`), which pandas,
DuckDB and Spark read as one table. A run writes everything into `DIR/.staging-…` first and
only moves the finished tables into place at the end, so an interrupted or failed run leaves
the previous outputs as they were. Part-file names derive from the content of the batch, so
the same input gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.tables.schema import CORPUS_TABLES, DOCUMENT_TABLES, TABLES


def read_table(out_dir: str | Path, name: str, columns: list[str] | None = None) -> pa.Table:
    """A table of an output directory, empty with its declared schema when absent."""
    path = Path(out_dir) / name
    schema = TABLES[name]
    files = sorted(path.glob("*.parquet")) if path.is_dir() else []
    if not files:
        table = schema.empty_table()
        return table.select(columns) if columns else table
    tables = [pq.read_table(f, columns=columns, schema=schema) for f in files]
    return pa.concat_tables(tables)


class TableWriter:
    """Streams batches of rows into staged part files; `commit()` publishes them atomically."""

    def __init__(self, out_dir: str | Path, append: bool = False):
        self.out_dir = Path(out_dir)
        self.append = append
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.staging = self.out_dir / f".staging-{uuid.uuid4().hex[:12]}"
        self.staging.mkdir()
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._digest = hashlib.sha256()
        self._closed = False

    def existing_hashes(self) -> set[str]:
        if not self.append:
            return set()
        return set(read_table(self.out_dir, "documents", ["text_sha256"]).column("text_sha256").to_pylist())

    def write(self, rows: dict[str, list[dict]]) -> None:
        for doc in rows.get("documents", []):
            self._digest.update(doc["text_sha256"].encode())
        for name, schema in DOCUMENT_TABLES.items():
            batch = rows.get(name) or []
            if not batch:
                continue
            if name not in self._writers:
                (self.staging / name).mkdir(exist_ok=True)
                self._writers[name] = pq.ParquetWriter(self.staging / name / "part.tmp", schema)
            self._writers[name].write_table(pa.Table.from_pylist(batch, schema=schema))

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def staged_table(self, name: str) -> pa.Table:
        """The full table as it will be after commit: earlier parts (when appending) plus this run's."""
        self._close_writers()  # a part file is readable only once its writer wrote the footer
        old = read_table(self.out_dir, name) if self.append else TABLES[name].empty_table()
        new_file = self.staging / name / "part.tmp"
        new = pq.read_table(new_file, schema=TABLES[name]) if new_file.exists() else TABLES[name].empty_table()
        return pa.concat_tables([old, new])

    def commit(self, replace_tables: dict[str, pa.Table] | None = None) -> None:
        """Publish the run. `replace_tables` gives whole tables that replace their directory
        (the entities table with canonical ids, the corpus-level tables)."""
        self._close_writers()
        replace_tables = replace_tables or {}
        part_name = f"part-{self._digest.hexdigest()[:16]}.parquet"
        for name in TABLES:
            table_dir = self.staging / name
            table_dir.mkdir(exist_ok=True)
            tmp = table_dir / "part.tmp"
            if name in replace_tables:
                if tmp.exists():
                    tmp.unlink()
                pq.write_table(replace_tables[name].cast(TABLES[name]), table_dir / "part-0.parquet")
                continue
            if name in CORPUS_TABLES:
                pq.write_table(TABLES[name].empty_table(), table_dir / "part-0.parquet")
                continue
            if self.append and (self.out_dir / name).is_dir():
                for old in sorted((self.out_dir / name).glob("*.parquet")):
                    os.link(old, table_dir / old.name) if _same_device(old, table_dir) else shutil.copy2(old, table_dir / old.name)
            if tmp.exists():
                tmp.rename(table_dir / part_name)
            elif not any(table_dir.glob("*.parquet")):
                pq.write_table(TABLES[name].empty_table(), table_dir / "part-0.parquet")
        self._publish()

    def _publish(self) -> None:
        retired = self.out_dir / f".retired-{uuid.uuid4().hex[:12]}"
        retired.mkdir()
        for name in TABLES:
            final = self.out_dir / name
            if final.exists():
                final.rename(retired / name)
            (self.staging / name).rename(final)
        shutil.rmtree(retired, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)
        self._closed = True

    def abort(self) -> None:
        self._close_writers()
        shutil.rmtree(self.staging, ignore_errors=True)
        self._closed = True

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._closed:
            self.abort()


def _same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev
