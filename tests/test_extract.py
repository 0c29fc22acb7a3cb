"""The extraction spine (issue #2): inputs in, the four Parquet tables out, atomically."""

import json
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest
from spacy.language import Language

from pipeline.extract.run import extract
from pipeline.tables.schema import DOCUMENT_TABLES, TABLES


def run(nlp, inputs, out, **kw):
    return extract([str(i) for i in inputs], out, nlp, progress=False, report=lambda m: None, **kw)


def test_every_input_format_becomes_a_document(rule_nlp, article_dir, tmp_path):
    out = tmp_path / "out"
    summary = run(rule_nlp, [article_dir], out)
    assert summary.processed == 4 and not summary.skipped
    docs = pd.read_parquet(out / "documents")
    assert set(docs.lang) == {"en", "es"}
    assert "j-1" in set(docs.doc_id)
    html = docs[docs.title == "Cartel news"].iloc[0]
    assert "Sinaloa Cartel" in html.text and "var x" not in html.text and "hidden text" not in html.text
    assert docs[docs.source.str.endswith("ecuador.md")].iloc[0].title == "Fito escapes"


def test_tables_follow_the_declared_schemas(rule_nlp, article_dir, tmp_path):
    out = tmp_path / "out"
    run(rule_nlp, [article_dir], out)
    for name, schema in TABLES.items():
        table = pq.read_table(out / name)
        assert table.schema.names == schema.names, name
        assert table.schema.equals(schema, check_metadata=False), name
    mentions = pd.read_parquet(out / "mentions")
    entities = pd.read_parquet(out / "entities")
    docs = pd.read_parquet(out / "documents").set_index("doc_id")
    for row in mentions.itertuples():
        assert docs.loc[row.doc_id].text[row.start:row.end] == row.text
    assert set(mentions.entity_id) <= set(entities.entity_id)
    assert mentions.component.str.len().min() > 0


def test_rule_pipeline_finds_domain_entities(rule_nlp, article_dir, tmp_path):
    out = tmp_path / "out"
    run(rule_nlp, [article_dir], out)
    entities = pd.read_parquet(out / "entities")
    tda = entities[entities.name == "Héctor Rusthenford Guerrero Flores"].iloc[0]
    assert tda.label == "PERSON" and "Niño Guerrero" in list(tda.aliases)
    assert ("Tren de Aragua", "CRIMINAL_GROUP") in set(zip(entities.name, entities.label))
    assert ("Tocorón", "FACILITY") in set(zip(entities.name, entities.label))
    assert entities[(entities.label == "LOCATION") & (entities.name == "Aragua")].iloc[0].key == "VE-D"
    extortion = entities[entities.label == "CRIMINAL_ACTIVITY"]
    assert "extortion" in set(extortion.key)


def test_rerun_reproduces_identical_tables(rule_nlp, article_dir, tmp_path):
    run(rule_nlp, [article_dir], tmp_path / "a")
    run(rule_nlp, [article_dir], tmp_path / "b")
    for name in TABLES:
        left, right = pd.read_parquet(tmp_path / "a" / name), pd.read_parquet(tmp_path / "b" / name)
        pd.testing.assert_frame_equal(left, right, check_like=False)


def test_two_processes_write_the_same_tables_as_one(rule_nlp, article_dir, tmp_path):
    """--processes 2 runs pipeline and row conversion in forked workers; order and content match."""
    run(rule_nlp, [article_dir], tmp_path / "one")
    summary = run(rule_nlp, [article_dir], tmp_path / "two", n_process=2, batch_size=1)
    assert summary.processed == 4
    for name in TABLES:
        left, right = pd.read_parquet(tmp_path / "one" / name), pd.read_parquet(tmp_path / "two" / name)
        pd.testing.assert_frame_equal(left, right, check_like=False)


def test_extraction_runs_one_blas_thread_and_gives_the_caller_its_own_back(rule_nlp, article_dir, tmp_path):
    """The pipeline's matrices are small: a second BLAS thread per process costs more than it saves."""
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    seen: list[set[int]] = []
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        run(rule_nlp, [article_dir], tmp_path / "out", on_document=lambda summary: seen.append(blas_threads()))
        assert blas_threads() == before
    assert seen and all(threads == {1} for threads in seen)


def test_append_adds_only_new_documents(rule_nlp, article_dir, tmp_path):
    out = tmp_path / "out"
    run(rule_nlp, [article_dir / "tda.txt"], out)
    first_ids = pd.read_parquet(out / "entities")[["entity_id", "canonical_id"]]
    summary = run(rule_nlp, [article_dir], out, append=True)
    assert summary.duplicates == 1 and summary.processed == 3
    docs = pd.read_parquet(out / "documents")
    assert len(docs) == 4 and docs.text_sha256.is_unique
    again = run(rule_nlp, [article_dir], out, append=True)
    assert again.processed == 0 and again.duplicates == 4
    assert len(pd.read_parquet(out / "documents")) == 4
    # canonical ids of the first article survive the unrelated additions
    after = pd.read_parquet(out / "entities").merge(first_ids, on="entity_id", suffixes=("", "_before"))
    assert (after.canonical_id == after.canonical_id_before).all()


def test_failed_run_leaves_earlier_outputs_intact(rule_nlp, article_dir, tmp_path):
    out = tmp_path / "out"
    run(rule_nlp, [article_dir], out)
    before = pd.read_parquet(out / "mentions")

    class Boom(BaseException):
        """An interruption of the run, not an article the pipeline cannot read (that one is skipped)."""

    def exploding(docs, **kwargs):
        for i, item in enumerate(rule_nlp.pipe(docs, **kwargs)):
            if i == 1:
                raise Boom()
            yield item

    class Wrapper:
        meta = rule_nlp.meta
        pipe = staticmethod(exploding)

    with pytest.raises(Boom):
        extract([str(article_dir)], out, Wrapper(), progress=False, report=lambda m: None)
    pd.testing.assert_frame_equal(before, pd.read_parquet(out / "mentions"))
    assert not list(out.glob(".staging-*"))


BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("latin1.txt", "Extorsión en Maracaibo".encode("latin-1"), "not valid UTF-8"),
    ("binary.txt", b"\x00\x01\x02binary\x00", "binary file"),
    ("notes.docx", b"PK\x03\x04", "unknown extension"),
]


@pytest.mark.parametrize("name,content,message", BAD_INPUTS)
def test_bad_files_are_skipped_with_a_message_naming_them(rule_nlp, article_dir, tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    summary = run(rule_nlp, [article_dir, bad], tmp_path / "out")
    assert summary.processed == 4
    assert len(summary.skipped) == 1 and str(bad) in summary.skipped[0] and message in summary.skipped[0]


def test_malformed_jsonl_line_is_named_and_the_rest_processed(rule_nlp, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"id": "a", "text": "Los Choneros operate in Manabí."}\n{"id": "b", "text": \n'
                    '{"id": "c", "text": "Los Lobos control illegal mining."}\n', encoding="utf-8")
    summary = run(rule_nlp, [path], tmp_path / "out")
    assert summary.processed == 2
    assert len(summary.skipped) == 1 and summary.skipped[0].startswith(f"{path}:2: malformed JSON (Expecting value")


def test_huge_article_and_missing_path_are_reported(rule_nlp, tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text("extortion " * 520_000, encoding="utf-8")  # about 5 MB
    summary = run(rule_nlp, [huge, tmp_path / "nope.txt"], tmp_path / "out")
    assert summary.processed == 0
    assert any("huge.txt" in s and "limit" in s for s in summary.skipped)
    assert any("nope.txt" in s and "no such file" in s for s in summary.skipped)
    assert not (tmp_path / "out" / "documents").exists()


def test_parquet_input(rule_nlp, tmp_path):
    frame = pd.DataFrame([{"id": "p-1", "text": "The CJNG fought the Sinaloa Cartel in Zacatecas.", "lang": "en"}])
    frame.to_parquet(tmp_path / "in.parquet")
    summary = run(rule_nlp, [tmp_path / "in.parquet"], tmp_path / "out")
    assert summary.processed == 1
    assert pd.read_parquet(tmp_path / "out" / "documents").doc_id.tolist() == ["p-1"]


def test_cli_exit_codes(article_dir, tmp_path):
    """The real console script: non-zero when nothing could be processed or on a skip with --strict."""
    crimeie = [sys.executable, "-m", "pipeline.cli"]
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    nothing = subprocess.run([*crimeie, "extract", str(empty), "-o", str(tmp_path / "o1"), "--model", "rules", "--quiet"],
                             capture_output=True, text=True)
    assert nothing.returncode == 1 and "empty.txt: empty file" in nothing.stderr
    strict = subprocess.run([*crimeie, "extract", str(article_dir / "tda.txt"), str(empty), "-o", str(tmp_path / "o2"),
                             "--model", "rules", "--quiet", "--strict"], capture_output=True, text=True)
    assert strict.returncode == 1 and "processed 1 documents" in strict.stderr
    assert pd.read_parquet(tmp_path / "o2" / "documents").shape[0] == 1


def test_a_mention_starts_at_the_first_letter_not_at_a_quote(rule_nlp, tmp_path):
    """GUIDELINES §2: `'Ndrangheta` is spanned `Ndrangheta`, though the tokenizer keeps the
    apostrophe on the word; the mentions table carries the offsets of the name alone."""
    source = tmp_path / "nd.txt"
    source.write_text("Brokers in Montevideo sold cocaine to the 'Ndrangheta and to the ’Ndrangheta’s envoys.",
                      encoding="utf-8")
    out = tmp_path / "out"
    run(rule_nlp, [source], out)
    mentions = pd.read_parquet(out / "mentions")
    groups = mentions[mentions.label == "CRIMINAL_GROUP"]
    assert list(groups.text) == ["Ndrangheta", "Ndrangheta"]
    text = source.read_text(encoding="utf-8")
    assert all(text[s:e] == t for s, e, t in zip(groups.start, groups.end, groups.text))


@Language.component("test_fails_on_marker")
def _fails_on_marker(doc):
    if "UNREADABLE" in doc.text:
        raise IndexError("a component read past the end of the document")
    return doc


@pytest.mark.parametrize("processes", [1, 2])
def test_an_article_the_pipeline_fails_on_is_skipped_and_named(article_dir, tmp_path, processes):
    """One article that a component raises on is reported with its id and the error and left out;
    the others are read and published, and --strict would make the run exit non-zero."""
    from pipeline.nlp.build import build_rule_pipeline

    nlp = build_rule_pipeline()
    nlp.add_pipe("test_fails_on_marker")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i, text in enumerate([
        "Los Choneros operate in Manabí.", "UNREADABLE Los Lobos control illegal mining.",
        "The Tren de Aragua extorts shopkeepers in Maracaibo."])), encoding="utf-8")
    messages = []
    summary = extract([batch], tmp_path / "out", nlp, progress=False, report=messages.append, n_process=processes)
    assert summary.processed == 2
    assert summary.skipped == ["document d1: pipeline error, IndexError: a component read past the end of the document"]
    assert any("d1" in m and "IndexError" in m for m in messages)
    assert sorted(pd.read_parquet(tmp_path / "out" / "documents").doc_id) == ["d0", "d2"]
