"""The gold corpus tooling (issue #3): authoring format, validator, corpus targets."""

import pytest

from pipeline.gold.authoring import AuthoringError, parse_ann, to_ann
from pipeline.gold.corpus import SPLITS, corpus_stats, load_splits, read_records
from pipeline.gold.validate import validate_record

ANN = """id: t-1
lang: en
---
[[Héctor Guerrero|P1]], alias “[[Niño Guerrero|P1]]”, led the [[Tren de Aragua|G1]] from [[Tocorón|F1]].
---
P1 PERSON Héctor Guerrero
G1 CRIMINAL_GROUP Tren de Aragua
F1 FACILITY Tocorón
---
P1 LEADER_OF G1
P1 IMPRISONED_IN F1 hedged
"""


def test_authoring_format_computes_offsets():
    record = parse_ann(ANN)
    text = record["text"]
    assert text.startswith("Héctor Guerrero, alias “Niño Guerrero”")
    assert [text[s["start"]:s["end"]] for s in record["spans"]] == ["Héctor Guerrero", "Niño Guerrero", "Tren de Aragua", "Tocorón"]
    assert record["relations"][1] == {"head": "P1", "label": "IMPRISONED_IN", "tail": "F1", "hedged": True}
    assert validate_record(record) == []
    assert parse_ann(to_ann(record)) == record


@pytest.mark.parametrize("broken,message", [
    (ANN.replace("[[Tocorón|F1]]", "[[Tocorón|F9]]"), "undeclared entity F9"),
    (ANN.replace("P1 LEADER_OF G1", "P1 LEADER_OF"), "relation line must be"),
    (ANN.replace("---\nP1 LEADER_OF G1", "P1 LEADER_OF G1"), "expected 4 parts"),
])
def test_authoring_errors_name_the_problem(broken, message):
    with pytest.raises(AuthoringError, match=message):
        parse_ann(broken)


def _record(**changes):
    record = parse_ann(ANN)
    record.update(changes)
    return record


@pytest.mark.parametrize("mutate,expected", [
    (lambda r: r["spans"].append({"start": 0, "end": 6, "label": "PERSON", "entity": "P1"}), "overlaps"),
    (lambda r: r["spans"].__setitem__(1, {**r["spans"][1], "start": r["spans"][1]["start"] - 1}), "starts with '“'"),
    (lambda r: r["spans"].__setitem__(1, {**r["spans"][1], "end": r["spans"][1]["end"] + 1}), "ends with '”'"),
    (lambda r: r["spans"].__setitem__(0, {**r["spans"][0], "end": 400}), "outside the text"),
    (lambda r: r["spans"].__setitem__(0, {**r["spans"][0], "label": "ORGANIZATION"}), "but its entity P1 is PERSON"),
    (lambda r: r["relations"].append({"head": "G1", "label": "LEADER_OF", "tail": "P1", "hedged": False}), "do not allow"),
    (lambda r: r["relations"].append({"head": "P1", "label": "BOSS_OF", "tail": "G1", "hedged": False}), "unknown label"),
    (lambda r: r["entities"].append({"id": "A1", "label": "CRIMINAL_ACTIVITY", "name": "racketeering"}), "not a taxonomy key"),
    (lambda r: r.__setitem__("lang", "pt"), "lang must be"),
])
def test_validator_rejects_what_the_guidelines_forbid(mutate, expected):
    record = parse_ann(ANN)
    mutate(record)
    problems = validate_record(record)
    assert problems and all(p.startswith("t-1: ") for p in problems)
    assert any(expected in p for p in problems), problems


def test_possessive_edge_is_rejected():
    record = parse_ann(ANN.replace("the [[Tren de Aragua|G1]] from", "[[Tren de Aragua’s|G1]] from"))
    assert any("possessive" in p for p in validate_record(record))


@pytest.mark.parametrize("mention, allowed", [
    ("Greenbelt, Md.", True), ("Kléber Steven C. R.", True), ("U.S.", True), ("Jr.", True),
    ("Tren de Aragua.", False), ("Los Choneros said.", False),
])
def test_a_final_period_stays_only_on_abbreviations_and_initials(mention, allowed):
    from pipeline.gold.validate import _edge_problem

    assert (_edge_problem(mention) is None) is allowed


def test_bundled_corpus_meets_the_issue_targets():
    """Issue #3: >=60 articles, >=35,000 words, >=12 Spanish, every entity label >=150 spans,
    every relation label >=30, test split >=15 with >=3 Spanish."""
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    stats = corpus_stats({s: read_records([corpus / "gold" / f"{s}.jsonl"]) for s in SPLITS})
    assert stats["documents"] >= 60 and stats["words"] >= 35_000 and stats["spanish"] >= 12
    assert stats["criminal_groups"] >= 40
    assert min(stats["spans"].values()) >= 150 and len(stats["spans"]) == 6
    assert min(stats["relations"].values()) >= 30 and len(stats["relations"]) == 13
    test = stats["splits"]["test"]
    assert test["documents"] >= 15 and test["spanish"] >= 3
    assert set(load_splits(corpus / "splits.json").values()) == {"dev", "test"}


def test_held_out_articles_are_built_apart_from_the_split(tmp_path):
    """`corpus/unseen/` holds articles written after the pipeline was frozen: `gold build` writes
    them to gold/unseen.jsonl (and `unseen2/` to gold/unseen2.jsonl), never into train, and refuses an
    id the split or another held-out set already uses."""
    import json

    from pipeline.gold.corpus import build

    (tmp_path / "annotated").mkdir()
    (tmp_path / "unseen").mkdir()
    (tmp_path / "splits.json").write_text(json.dumps({"dev": [], "test": []}), encoding="utf-8")
    (tmp_path / "annotated" / "t-1.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "unseen" / "u-1.ann").write_text(ANN.replace("id: t-1", "id: u-1"), encoding="utf-8")
    assert build(tmp_path) == {"train": 1, "dev": 0, "test": 0, "unseen": 1}
    assert [r["id"] for r in read_records([tmp_path / "gold" / "train.jsonl"])] == ["t-1"]
    assert [r["id"] for r in read_records([tmp_path / "gold" / "unseen.jsonl"])] == ["u-1"]
    assert "u-1" not in (tmp_path / "articles" / "articles.jsonl").read_text(encoding="utf-8")
    (tmp_path / "unseen2").mkdir()
    (tmp_path / "unseen2" / "u-2.ann").write_text(ANN.replace("id: t-1", "id: u-2"), encoding="utf-8")
    assert build(tmp_path) == {"train": 1, "dev": 0, "test": 0, "unseen": 1, "unseen2": 1}
    (tmp_path / "unseen2" / "u-1.ann").write_text(ANN.replace("id: t-1", "id: u-1"), encoding="utf-8")
    with pytest.raises(ValueError, match="unseen2: ids already used .* another held-out set: \\['u-1'\\]"):
        build(tmp_path)
    (tmp_path / "unseen2" / "u-1.ann").unlink()
    (tmp_path / "unseen" / "t-1.ann").write_text(ANN, encoding="utf-8")
    with pytest.raises(ValueError, match="ids already used in annotated/"):
        build(tmp_path)


def test_a_held_out_set_named_to_train_is_trained_on_and_keeps_its_own_file(tmp_path):
    """A held-out set whose errors were read is no fair estimate any more: splits.json's
    `train_held_out` adds its articles to train, its own gold file stays for comparison, and a
    name that is no held-out set is refused, naming the file."""
    import json

    from pipeline.gold.corpus import build

    (tmp_path / "annotated").mkdir()
    (tmp_path / "unseen").mkdir()
    (tmp_path / "unseen2").mkdir()
    (tmp_path / "annotated" / "t-1.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "unseen" / "u-1.ann").write_text(ANN.replace("id: t-1", "id: u-1"), encoding="utf-8")
    (tmp_path / "unseen2" / "u-2.ann").write_text(ANN.replace("id: t-1", "id: u-2"), encoding="utf-8")
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"dev": [], "test": [], "train_held_out": ["unseen"]}), encoding="utf-8")
    assert build(tmp_path) == {"train": 2, "dev": 0, "test": 0, "unseen": 1, "unseen2": 1}
    assert [r["id"] for r in read_records([tmp_path / "gold" / "train.jsonl"])] == ["t-1", "u-1"]
    assert [r["id"] for r in read_records([tmp_path / "gold" / "unseen.jsonl"])] == ["u-1"]
    assert [r["id"] for r in read_records([tmp_path / "gold" / "unseen2.jsonl"])] == ["u-2"]
    splits.write_text(json.dumps({"dev": [], "test": [], "train_held_out": ["annotated"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="splits.json: train_held_out names \\['annotated'\\]"):
        build(tmp_path)
    # Counted once in the totals, though it sits in two splits.
    stats = corpus_stats({"train": read_records([tmp_path / "gold" / "train.jsonl"]),
                          "unseen": read_records([tmp_path / "gold" / "unseen.jsonl"])})
    assert stats["splits"]["train"]["documents"] == 2 and stats["splits"]["unseen"]["documents"] == 1
    assert stats["documents"] == 2 and stats["spans"]["PERSON"] == 4


def test_agreement_finds_first_passes_in_annotated_and_held_out_sets(tmp_path):
    """A second pass of a held-out article is scored against its first pass in `unseen/`;
    `--set` scores one set alone, and a second pass with no first pass is refused by name."""
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app

    for name in ("annotated", "unseen", "second_pass"):
        (tmp_path / name).mkdir()
    (tmp_path / "annotated" / "t-1.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "second_pass" / "t-1.ann").write_text(ANN, encoding="utf-8")
    held_out = ANN.replace("id: t-1", "id: u-1")
    (tmp_path / "unseen" / "u-1.ann").write_text(held_out, encoding="utf-8")
    (tmp_path / "second_pass" / "u-1.ann").write_text(held_out.replace("P1 LEADER_OF G1\n", ""),
                                                      encoding="utf-8")

    def agreement(*args):
        result = CliRunner().invoke(app, ["gold", "agreement", "--corpus", str(tmp_path), "--json", *args])
        return result.exit_code, (json.loads(result.output) if result.exit_code == 0 else result.output)

    assert agreement("--set", "annotated")[1]["relations_f1"] == 1.0
    assert agreement("--set", "unseen")[1]["relations_f1"] == pytest.approx(2 / 3, abs=1e-4)
    code, everything = agreement()
    assert code == 0 and everything["documents"] == 2
    (tmp_path / "second_pass" / "x-9.ann").write_text(ANN.replace("id: t-1", "id: x-9"), encoding="utf-8")
    code, output = agreement()
    assert code == 1 and "x-9.ann: no first pass" in output
