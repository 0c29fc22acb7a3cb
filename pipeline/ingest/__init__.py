"""Reading articles from files into a stream of `Article`s, reporting what cannot be read."""

from pipeline.ingest.readers import Article, Skipped, iter_articles

__all__ = ["Article", "Skipped", "iter_articles"]
