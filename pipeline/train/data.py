"""Gold records → spaCy Examples and parsed Docs with gold mentions."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans


def paragraphs(record: dict) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Split a record at blank lines; each piece keeps the spans inside it, re-offset."""
    text = record["text"]
    pieces, start = [], 0
    for part in text.split("\n\n"):
        end = start + len(part)
        spans = [(s["start"] - start, s["end"] - start, s["label"]) for s in record["spans"]
                 if s["start"] >= start and s["end"] <= end]
        if part.strip():
            pieces.append((part, spans))
        start = end + 2
    return pieces


def ner_examples(nlp: Language, records: list[dict]) -> list[Example]:
    examples = []
    for record in records:
        for text, spans in paragraphs(record):
            doc = nlp.make_doc(text)
            ents = []
            for start, end, label in spans:
                span = doc.char_span(start, end, label=label, alignment_mode="contract") \
                    or doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is not None:
                    ents.append(span)
            examples.append(Example.from_dict(doc, {"entities": [(s.start_char, s.end_char, s.label_) for s in filter_spans(ents)]}))
    return examples


def gold_mention_docs(nlp: Language, records: list[dict]) -> list[tuple[Doc, dict]]:
    """Parsed docs whose `doc.ents` are the gold mentions, each tagged with its gold entity index."""
    out = []
    disabled = [p for p in ("ner",) if p in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        docs = list(nlp.pipe(r["text"] for r in records))
    for doc, record in zip(docs, records):
        ids = {e["id"]: n for n, e in enumerate(record["entities"])}
        ents = []
        for s in record["spans"]:
            span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
            if span is not None:
                ents.append((span, ids[s["entity"]]))
        kept = filter_spans([s for s, _ in ents])
        keep = {(s.start, s.end) for s in kept}
        doc.ents = kept
        by_pos = {(s.start, s.end): e for s, e in ents if (s.start, s.end) in keep}
        for ent in doc.ents:
            ent._.crimeie_entity = by_pos[(ent.start, ent.end)]
        out.append((doc, record))
    return out
