"""Predicted records (GUIDELINES §1 format) from a pipeline run or from output tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.rows import doc_rows
from pipeline.ingest import Article


def records_from_rows(documents: list[dict], mentions: list[dict], entities: list[dict],
                      relations: list[dict]) -> list[dict]:
    """Rows of the four document tables → one pred record per document."""
    by_doc: dict[str, dict] = {}
    for d in documents:
        by_doc[d["doc_id"]] = {"id": d["doc_id"], "lang": d.get("lang"), "text": d.get("text") or "",
                               "entities": [], "spans": [], "relations": []}
    for e in entities:
        record = by_doc.get(e["doc_id"])
        if record is not None:
            record["entities"].append({"id": e["entity_id"], "label": e["label"], "name": e["name"],
                                       "aliases": list(e.get("aliases") or []), "key": e.get("key") or ""})
    for m in mentions:
        record = by_doc.get(m["doc_id"])
        if record is not None:
            record["spans"].append({"start": m["start"], "end": m["end"], "label": m["label"],
                                    "entity": m["entity_id"], "sentence": m.get("sentence", 0)})
    for r in relations:
        record = by_doc.get(r["doc_id"])
        if record is not None:
            record["relations"].append({"head": r["head"], "label": r["label"], "tail": r["tail"],
                                        "hedged": bool(r["hedged"]), "confidence": r.get("confidence"),
                                        "evidence": r.get("evidence") or "", "component": r.get("component") or ""})
    return list(by_doc.values())


def predict_records(nlp: Language, gold_docs: list[dict], batch_size: int = 16) -> list[dict]:
    """Run the pipeline over the gold texts and return pred records keyed by the gold ids."""
    return records_from_docs(nlp, nlp.pipe((g["text"] for g in gold_docs), batch_size=batch_size), gold_docs)


def records_from_docs(nlp: Language, docs: Iterable[Doc], gold_docs: list[dict]) -> list[dict]:
    """Pred records from Docs that `nlp` already made of the gold texts, in the same order."""
    from pipeline.nlp.build import pipeline_version

    version = pipeline_version(nlp)
    rows: dict[str, list[dict]] = defaultdict(list)
    for doc, g in zip(docs, gold_docs):
        article = Article(doc_id=g["id"], text=g["text"], lang=g.get("lang", "en"))
        for name, batch in doc_rows(doc, article, version).items():
            rows[name].extend(batch)
    return records_from_rows(rows["documents"], rows["mentions"], rows["entities"], rows["relations"])


def records_from_tables(out_dir: str | Path) -> list[dict]:
    from pipeline.tables.writer import read_table

    tables = {name: read_table(out_dir, name).to_pylist()
              for name in ("documents", "mentions", "entities", "relations")}
    return records_from_rows(tables["documents"], tables["mentions"], tables["entities"], tables["relations"])
