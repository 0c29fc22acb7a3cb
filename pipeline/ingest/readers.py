"""Readers for .txt/.md, .html, .jsonl and .parquet articles.

`iter_articles` is a generator: it yields one `Article` or one `Skipped` at a time and never
holds more than one file's line (or one Parquet row batch) in memory, so a run over any number
of articles keeps flat memory. Every problem becomes a `Skipped` naming the file (and line or
row) and what is wrong; the caller decides whether the run can go on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.language import guess_language

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl", ".parquet"}
DEFAULT_MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class Article:
    doc_id: str
    text: str
    title: str = ""
    date: str = ""
    source: str = ""
    lang: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def text_id(text: str) -> str:
    """A stable document id for text that came without one."""
    return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _article(text: str, where: str, max_chars: int, *, doc_id: str | None = None, title: str = "",
             date: str = "", source: str = "", lang: str = "") -> Article | Skipped:
    if not text.strip():
        return Skipped(where, "empty article: no text to process")
    if len(text) > max_chars:
        return Skipped(where, f"article has {len(text):,} characters, over the limit of {max_chars:,} (raise --max-chars or split it)")
    lang = (lang or "").strip().lower()[:2] or guess_language(text)
    return Article(doc_id=str(doc_id) if doc_id else text_id(text), text=text, title=title or "",
                   date=str(date or ""), source=source or where, lang=lang)


def _decode(data: bytes, where: str) -> str | Skipped:
    if b"\x00" in data[:8192]:
        return Skipped(where, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return Skipped(where, f"not valid UTF-8: byte {data[err.start]:#04x} at offset {err.start}; re-encode the file as UTF-8")


def _read_text_file(path: Path, max_chars: int) -> Iterator[Article | Skipped]:
    where = str(path)
    if path.stat().st_size > 4 * max_chars + 16:
        yield Skipped(where, f"file is {path.stat().st_size:,} bytes, over the limit of {max_chars:,} characters (raise --max-chars or split it)")
        return
    text = _decode(path.read_bytes(), where)
    if isinstance(text, Skipped):
        yield text
        return
    title = ""
    if path.suffix == ".md":
        for line in text.splitlines():
            if line.strip():
                title = line.lstrip("#").strip() if line.startswith("#") else ""
                break
    yield _article(text, where, max_chars, title=title)


def html_to_text(html: str) -> tuple[str, str]:
    """Visible text and title of an HTML page: scripts, styles and hidden parts dropped."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else ""
    for selector in ("script", "style", "noscript", "template", "head", "[hidden]", "[aria-hidden=true]"):
        for node in tree.css(selector):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return "", title
    blocks = []
    for node in root.css("p, h1, h2, h3, h4, h5, h6, li, blockquote, td, pre"):
        if node.css_first("p, li, blockquote"):
            continue  # a container: its children are visited themselves
        text = " ".join(node.text(separator=" ").split())
        if text:
            blocks.append(text)
    if not blocks:
        blocks = [" ".join(root.text(separator=" ").split())]
    return "\n\n".join(b for b in blocks if b), title


def _read_html(path: Path, max_chars: int) -> Iterator[Article | Skipped]:
    where = str(path)
    text = _decode(path.read_bytes(), where)
    if isinstance(text, Skipped):
        yield text
        return
    body, title = html_to_text(text)
    yield _article(body, where, max_chars, title=title)


def _from_record(record: object, where: str, max_chars: int) -> Article | Skipped:
    if not isinstance(record, dict):
        return Skipped(where, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        return Skipped(where, "record has no string field 'text'")
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    field = lambda name: record.get(name) or meta.get(name) or ""  # noqa: E731  (gold records keep these under meta)
    doc_id = record.get("id")
    if doc_id is not None and not isinstance(doc_id, (str, int)):
        return Skipped(where, f"field 'id' must be a string, got {type(doc_id).__name__}")
    return _article(text, where, max_chars, doc_id=doc_id, title=str(field("title")), date=str(field("date")),
                    source=str(field("source")), lang=str(field("lang")))


def _read_jsonl(path: Path, max_chars: int) -> Iterator[Article | Skipped]:
    with path.open("rb") as handle:
        any_line = False
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            any_line = True
            line = _decode(raw, where)
            if isinstance(line, Skipped):
                yield line
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield Skipped(where, f"malformed JSON ({err.msg} at column {err.colno})")
                continue
            yield _from_record(record, where, max_chars)
        if not any_line:
            yield Skipped(str(path), "empty file: no JSON lines")


def _read_parquet(path: Path, max_chars: int) -> Iterator[Article | Skipped]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types for a broken file
        yield Skipped(str(path), f"not a readable Parquet file ({err})")
        return
    if "text" not in parquet.schema_arrow.names:
        yield Skipped(str(path), f"Parquet file has no 'text' column (columns: {', '.join(parquet.schema_arrow.names)})")
        return
    row = 0
    for batch in parquet.iter_batches(batch_size=256):
        for record in batch.to_pylist():
            row += 1
            yield _from_record(record, f"{path}:row {row}", max_chars)
    if row == 0:
        yield Skipped(str(path), "empty Parquet file: no rows")


_READERS = {".txt": _read_text_file, ".md": _read_text_file, ".html": _read_html, ".htm": _read_html,
            ".jsonl": _read_jsonl, ".parquet": _read_parquet}


def _files(inputs: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    for item in inputs:
        path = Path(item)
        if not path.exists():
            yield Skipped(str(path), "no such file or directory")
        elif path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            supported = [p for p in children if p.suffix.lower() in SUPPORTED]
            if not supported:
                yield Skipped(str(path), f"directory holds no supported files ({', '.join(sorted(SUPPORTED))})")
            yield from supported
        else:
            yield path


def iter_articles(inputs: Iterable[str | Path], max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Article | Skipped]:
    """Every article in `inputs` (files or directories, walked in sorted order) or why it was skipped."""
    for path in _files(inputs):
        if isinstance(path, Skipped):
            yield path
            continue
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            yield Skipped(str(path), f"unknown extension {path.suffix or '(none)'!r}; supported: {', '.join(sorted(SUPPORTED))}")
            continue
        if path.stat().st_size == 0:
            yield Skipped(str(path), "empty file")
            continue
        try:
            yield from reader(path, max_chars)
        except OSError as err:
            yield Skipped(str(path), f"cannot read: {err.strerror or err}")
