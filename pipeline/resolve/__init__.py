"""Cross-document entity resolution: document entities → corpus-level canonical entities."""

from pipeline.resolve.tables import resolve_tables

__all__ = ["resolve_tables"]
