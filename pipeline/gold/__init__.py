"""The gold corpus: authoring format, conversion to JSONL, validation and statistics."""
