"""The streaming extraction run behind `crimeie extract`."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.util import minibatch

from pipeline.extract.rows import doc_rows
from pipeline.ingest import Article, Skipped, iter_articles
from pipeline.ingest.readers import DEFAULT_MAX_CHARS
from pipeline.tables.writer import TableWriter


@dataclass
class RunSummary:
    processed: int = 0
    skipped: list[str] = field(default_factory=list)
    duplicates: int = 0
    words: int = 0
    seconds: float = 0.0
    out_dir: str = ""

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        return [f"processed {self.processed} documents ({self.words:,} words) in {self.seconds:.1f}s, "
                f"{self.words_per_second:,.0f} words/s; skipped {len(self.skipped)}; "
                f"already present {self.duplicates}; tables in {self.out_dir}"]


def _accepted(stream: Iterable[Article | Skipped], seen: set[str], summary: RunSummary,
              report) -> Iterator[tuple[str, Article]]:
    for item in stream:
        if isinstance(item, Skipped):
            summary.skipped.append(str(item))
            report(f"skipped {item}")
            continue
        if item.sha256 in seen:
            summary.duplicates += 1
            continue
        seen.add(item.sha256)
        yield item.text, item


# The pipeline and version the worker processes use; set in the parent before they are forked,
# so each worker shares the loaded model instead of unpickling one.
_WORKER: dict = {}

# BLAS threads per process while extracting. The pipeline's matrices are small (a batch of
# paragraphs through 96-wide layers, one relation matrix per article), so a second BLAS thread
# spends more on hand-offs than it saves: on 2 cores, one thread made a single process about 15%
# faster and used 30% less CPU, and two processes no longer fight over four threads.
BLAS_THREADS = 1


def blas_limited():
    """Context manager: BLAS_THREADS BLAS threads in this process until it exits."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=BLAS_THREADS, user_api="blas")


def _limit_worker_blas() -> None:
    """Pool initializer: a forked worker keeps the parent's limit, but say so rather than rely on it."""
    blas_limited()


def _rows_or_failures(nlp: Language, batch: list[tuple[str, Article]], version: str) -> list[dict | Skipped]:
    """Table rows for each article of a batch, in order. Where the pipeline raises on an article,
    a `Skipped` naming the document and the error stands in its place: one article the rules or
    models cannot read must not stop a run of thousands (the batch is read again one article at a
    time to find which)."""
    try:
        return [doc_rows(doc, article, version)
                for doc, article in nlp.pipe(batch, as_tuples=True, batch_size=len(batch))]
    except Exception:
        out: list[dict | Skipped] = []
        for text, article in batch:
            try:
                out.append(doc_rows(nlp(text), article, version))
            except Exception as error:
                out.append(Skipped(f"document {article.doc_id}", f"pipeline error, {type(error).__name__}: {error}"))
        return out


def _rows_of_batch(batch: list[tuple[str, Article]]) -> list[dict | Skipped]:
    return _rows_or_failures(_WORKER["nlp"], batch, _WORKER["version"])


def _processed_rows(nlp: Language, articles: Iterator[tuple[str, Article]], version: str, batch_size: int,
                    n_process: int) -> Iterator[dict[str, list[dict]] | Skipped]:
    """Table rows per article, in input order, or a `Skipped` for an article the pipeline failed on.
    With several processes each worker runs the whole pipeline *and* the row conversion, and sends
    back plain rows: spaCy's own `n_process` would send whole Docs back (tensor, spans, extension
    data) for the parent to unpickle, which on a 2-core machine leaves the workers waiting on the
    parent."""
    if n_process <= 1:
        for batch in minibatch(articles, size=batch_size):
            yield from _rows_or_failures(nlp, batch, version)
        return
    import multiprocessing

    _WORKER.update(nlp=nlp, version=version)
    try:
        with multiprocessing.get_context("fork").Pool(n_process, initializer=_limit_worker_blas) as pool:
            for rows in pool.imap(_rows_of_batch, minibatch(articles, size=batch_size)):
                yield from rows
    finally:
        _WORKER.clear()


def extract(inputs: list[str | Path], out_dir: str | Path, nlp: Language, *, append: bool = False,
            batch_size: int = 16, n_process: int = 1, max_chars: int = DEFAULT_MAX_CHARS,
            progress: bool = True, report=None, resolve: bool = True, on_document=None) -> RunSummary:
    """Run `nlp` over every article in `inputs` and publish the tables in `out_dir` atomically.
    `on_document(summary)`, if given, is called after each document (benchmarks sample memory there)."""
    report = report or (lambda message: print(message, file=sys.stderr))
    with blas_limited():
        return _extract(inputs, out_dir, nlp, append=append, batch_size=batch_size, n_process=n_process,
                        max_chars=max_chars, progress=progress, report=report, resolve=resolve,
                        on_document=on_document)


def _extract(inputs, out_dir, nlp, *, append, batch_size, n_process, max_chars, progress, report, resolve,
             on_document) -> RunSummary:
    from pipeline.nlp.build import pipeline_version
    from pipeline.resolve import resolve_tables

    summary = RunSummary(out_dir=str(out_dir))
    version = pipeline_version(nlp)
    started = time.perf_counter()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit="doc", desc="extract", file=sys.stderr, dynamic_ncols=True)
    with TableWriter(out_dir, append=append) as writer:
        seen = writer.existing_hashes()
        articles = _accepted(iter_articles(inputs, max_chars=max_chars), seen, summary, report)
        pending: dict[str, list[dict]] = {"documents": [], "mentions": [], "entities": [], "relations": []}
        for rows in _processed_rows(nlp, articles, version, batch_size, n_process):
            if isinstance(rows, Skipped):
                summary.skipped.append(str(rows))
                report(f"skipped {rows}")
                continue
            for name, batch in rows.items():
                pending[name].extend(batch)
            summary.processed += 1
            summary.words += rows["documents"][0]["n_words"]
            if on_document is not None:
                on_document(summary)
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"{summary.words / max(time.perf_counter() - started, 1e-9):,.0f} words/s")
            if len(pending["documents"]) >= 64:
                writer.write(pending)
                pending = {name: [] for name in pending}
        writer.write(pending)
        if bar is not None:
            bar.close()
        if summary.processed == 0 and not append:
            summary.seconds = time.perf_counter() - started
            return summary  # nothing to publish: earlier outputs stay as they were
        replace = resolve_tables(writer) if resolve else {}
        writer.commit(replace)
    summary.seconds = time.perf_counter() - started
    return summary
