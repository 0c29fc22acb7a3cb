"""Turn one processed Doc into rows of the documents, mentions, entities and relations tables."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from pipeline.ingest import Article
from pipeline.textnorm import QUOTES


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span start..end of `text` without quote marks on its edges (`'Ndrangheta` → `Ndrangheta`):
    a token can carry one (`'Ndrangheta` is one token), but GUIDELINES §2 spans a name from its
    first letter to its last."""
    while start < end - 1 and text[start] in QUOTES:
        start += 1
    while end > start + 1 and text[end - 1] in QUOTES:
        end -= 1
    return start, end


def doc_rows(doc: Doc, article: Article, version: str) -> dict[str, list[dict]]:
    doc_id = article.doc_id
    # The article as given: the tokenizer may have read wrapping newlines as spaces, but it
    # keeps the length, so every offset below points into this text too.
    text = doc.text  # Doc.text joins every token on each access: read it once
    if len(article.text) == len(text):
        text = article.text
    sentence_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]

    def sentence_of(char: int) -> int:
        return max(bisect_right(sentence_starts, char) - 1, 0)

    entities = doc._.crimeie_entities or []
    entity_ids = {e["index"]: f"{doc_id}:E{e['index'] + 1}" for e in entities}
    mentions = []
    for number, ent in enumerate(doc.ents):
        start, end = trimmed(text, ent.start_char, ent.end_char)
        mentions.append({
            "doc_id": doc_id, "mention_id": f"{doc_id}:M{number + 1}",
            "start": start, "end": end, "text": text[start:end], "label": ent.label_,
            "entity_id": entity_ids.get(ent._.crimeie_entity),
            "sentence": sentence_of(start),
            "component": ent.id_ or "unknown", "score": float(ent._.crimeie_score or 0.0),
        })
    entity_rows = [{
        "doc_id": doc_id, "entity_id": entity_ids[e["index"]], "label": e["label"], "name": e["name"],
        "aliases": list(e["aliases"]), "key": e.get("key", ""), "n_mentions": len(e["mentions"]),
        "latitude": e.get("latitude"), "longitude": e.get("longitude"), "canonical_id": None,
    } for e in entities]
    names = {e["index"]: e["name"] for e in entities}
    relation_rows = []
    for number, rel in enumerate(doc._.crimeie_relations or []):
        start, end = rel["evidence_start"], rel["evidence_end"]
        relation_rows.append({
            "doc_id": doc_id, "relation_id": f"{doc_id}:R{number + 1}",
            "head": entity_ids[rel["head"]], "label": rel["label"], "tail": entity_ids[rel["tail"]],
            "head_name": names[rel["head"]], "tail_name": names[rel["tail"]],
            "hedged": bool(rel["hedged"]), "confidence": float(rel["confidence"]),
            "evidence": text[start:end].strip(), "evidence_start": start, "evidence_end": end,
            "component": rel["component"],
        })
    document = {
        "doc_id": doc_id, "source": article.source, "title": article.title, "date": article.date,
        "lang": article.lang, "n_chars": len(text), "n_words": sum(not t.is_punct and not t.is_space for t in doc),
        "text_sha256": article.sha256, "pipeline_version": version, "text": text,
    }
    return {"documents": [document], "mentions": mentions, "entities": entity_rows, "relations": relation_rows}
