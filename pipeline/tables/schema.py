"""The Parquet tables crimeie writes. Every writer and reader uses these declarations.

`TABLES` maps a table name to its schema; README.md documents the same columns.
"""

import pyarrow as pa

DOCUMENTS = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("source", pa.string()),
    pa.field("title", pa.string()),
    pa.field("date", pa.string()),
    pa.field("lang", pa.string()),
    pa.field("n_chars", pa.int64()),
    pa.field("n_words", pa.int64()),
    pa.field("text_sha256", pa.string()),
    pa.field("pipeline_version", pa.string()),
    pa.field("text", pa.string()),
])

MENTIONS = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("mention_id", pa.string(), nullable=False),
    pa.field("start", pa.int64()),
    pa.field("end", pa.int64()),
    pa.field("text", pa.string()),
    pa.field("label", pa.string()),
    pa.field("entity_id", pa.string()),
    pa.field("sentence", pa.int64()),
    pa.field("component", pa.string()),
    pa.field("score", pa.float64()),
])

ENTITIES = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("entity_id", pa.string(), nullable=False),
    pa.field("label", pa.string()),
    pa.field("name", pa.string()),
    pa.field("aliases", pa.list_(pa.string())),
    pa.field("key", pa.string()),
    pa.field("n_mentions", pa.int64()),
    pa.field("latitude", pa.float64()),
    pa.field("longitude", pa.float64()),
    pa.field("canonical_id", pa.string()),
])

RELATIONS = pa.schema([
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("relation_id", pa.string(), nullable=False),
    pa.field("head", pa.string()),
    pa.field("label", pa.string()),
    pa.field("tail", pa.string()),
    pa.field("head_name", pa.string()),
    pa.field("tail_name", pa.string()),
    pa.field("hedged", pa.bool_()),
    pa.field("confidence", pa.float64()),
    pa.field("evidence", pa.string()),
    pa.field("evidence_start", pa.int64()),
    pa.field("evidence_end", pa.int64()),
    pa.field("component", pa.string()),
])

CANONICAL_ENTITIES = pa.schema([
    pa.field("canonical_id", pa.string(), nullable=False),
    pa.field("label", pa.string()),
    pa.field("name", pa.string()),
    pa.field("key", pa.string()),
    pa.field("aliases", pa.list_(pa.struct([("name", pa.string()), ("kind", pa.string())]))),
    pa.field("n_documents", pa.int64()),
    pa.field("first_date", pa.string()),
    pa.field("last_date", pa.string()),
])

CORPUS_RELATIONS = pa.schema([
    pa.field("head", pa.string(), nullable=False),
    pa.field("label", pa.string(), nullable=False),
    pa.field("tail", pa.string(), nullable=False),
    pa.field("head_name", pa.string()),
    pa.field("tail_name", pa.string()),
    pa.field("n_documents", pa.int64()),
    pa.field("share_hedged", pa.float64()),
    pa.field("first_date", pa.string()),
    pa.field("last_date", pa.string()),
    pa.field("example_evidence", pa.string()),
    pa.field("example_doc_id", pa.string()),
])

#: Tables written per batch of documents (appended to by `--append`).
DOCUMENT_TABLES = {"documents": DOCUMENTS, "mentions": MENTIONS, "entities": ENTITIES, "relations": RELATIONS}
#: Tables recomputed over the whole output after every run (cross-document resolution).
CORPUS_TABLES = {"canonical_entities": CANONICAL_ENTITIES, "corpus_relations": CORPUS_RELATIONS}
TABLES = {**DOCUMENT_TABLES, **CORPUS_TABLES}
