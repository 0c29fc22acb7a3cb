"""crimeie: organized-crime articles in, queryable Parquet tables out.

The package is laid out in the order the data flows through it:

    ingest/    read articles (txt, md, html, jsonl, parquet) into a stream
    nlp/       the spaCy pipeline: base model, rule components, trained components
    extract/   turn annotated Docs into table rows
    tables/    the Parquet schemas, declared once, and the atomic writer
    resolve/   link document entities into corpus-level entities
    evaluate/  score output against gold labels (corpus/GUIDELINES.md §5)
    gold/      the gold corpus: authoring format, converter, validator, statistics
    train/     training the statistical components
"""

__version__ = "0.1.0"
