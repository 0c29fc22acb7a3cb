"""Scoring extraction output against gold records (corpus/GUIDELINES.md §5)."""
