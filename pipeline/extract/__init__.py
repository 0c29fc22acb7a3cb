"""From annotated spaCy Docs to table rows, and the streaming extraction run."""
