"""The output tables: their pyarrow schemas (declared once) and the atomic Parquet writer."""
