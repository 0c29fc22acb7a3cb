"""The `crimeie` command line: thin wrappers over functions that return data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Entities and relations from organized-crime reporting, as Parquet tables.")
gold_app = typer.Typer(no_args_is_help=True, help="Build, validate and count the gold corpus.")
app.add_typer(gold_app, name="gold")

CORPUS_DIR = Path("corpus")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"crimeie: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def extract(
    inputs: list[Path] = typer.Argument(..., help="Files or directories: .txt .md .html .jsonl .parquet"),
    out: Path = typer.Option(..., "-o", "--out", help="Output directory for the Parquet tables"),
    append: bool = typer.Option(False, help="Add to existing tables; documents already there (same text) are skipped"),
    strict: bool = typer.Option(False, help="Exit non-zero if any input was skipped"),
    model: str = typer.Option("", help="Pipeline directory, or 'rules' for the rule pipeline (default: the shipped model)"),
    batch_size: int = typer.Option(16, help="Documents per nlp.pipe batch"),
    processes: int = typer.Option(1, help="Worker processes (forked; each runs the pipeline and sends back rows)"),
    max_chars: int = typer.Option(1_000_000, help="Longest article accepted, in characters"),
    quiet: bool = typer.Option(False, help="No progress bar"),
) -> None:
    """Extract mentions, entities and relations from articles into Parquet tables."""
    from pipeline.extract.run import extract as run_extract
    from pipeline.nlp.build import load_pipeline

    try:
        nlp = load_pipeline(model or None)
    except (OSError, FileNotFoundError) as err:
        _fail(f"cannot load pipeline: {err}")
    summary = run_extract([str(p) for p in inputs], out, nlp, append=append, batch_size=batch_size,
                          n_process=processes, max_chars=max_chars, progress=not quiet)
    for line in summary.lines():
        typer.echo(line, err=True)
    if summary.processed == 0 and summary.duplicates == 0:
        _fail("no document could be processed; earlier outputs were left untouched")
    if strict and summary.skipped:
        _fail(f"{len(summary.skipped)} input(s) skipped (--strict)")


@app.command()
def evaluate(
    gold: Path = typer.Option(..., help="Gold JSONL file (GUIDELINES §1)"),
    pred: Path = typer.Option(None, help="Score existing output tables instead of running the pipeline"),
    model: str = typer.Option("", help="Pipeline directory, or 'rules' (default: the shipped model)"),
    baseline: bool = typer.Option(False, help="Also score the en_core_web_sm + co-occurrence baseline"),
    train: Path = typer.Option(CORPUS_DIR / "gold" / "train.jsonl", help="Train split, for the baseline's relation table"),
    json_path: Path = typer.Option(None, "--json", help="Write the metrics as JSON here"),
    errors: Path = typer.Option(None, help="Write false positive/negative tables (Parquet and CSV) here"),
    min_f1: str = typer.Option("", "--min", help="Gates, e.g. mentions=0.80,relations=0.60: exit 1 below any"),
    bootstrap: int = typer.Option(1000, help="Bootstrap resamples for the 95% intervals"),
) -> None:
    """Score the pipeline (or existing tables) against gold labels, exactly as GUIDELINES §5."""
    from pipeline.evaluate.report import format_report
    from pipeline.evaluate.run import dump_json, evaluate as run_evaluate, micro_f1, parse_gates

    try:
        gates = parse_gates(min_f1)
    except ValueError as err:
        _fail(str(err), 2)
    if not gold.exists():
        _fail(f"{gold}: no such gold file")
    if pred is not None and not (pred / "documents").exists():
        _fail(f"{pred}: no documents table here (run `crimeie extract` first)")
    try:
        result = run_evaluate(gold, pred, model or None, baseline, train, errors, bootstrap)
    except ValueError as err:
        _fail(str(err))
    typer.echo(format_report(result["pipeline"], result.get("baseline"), title=f"crimeie evaluate: {gold}"))
    if json_path:
        dump_json(result, json_path)
        typer.echo(f"metrics written to {json_path}")
    if errors:
        typer.echo(f"error tables written to {errors}: {result['error_counts']}")
    failed = [f"{name} F1 {micro_f1(result['pipeline'], name):.3f} < {threshold}"
              for name, threshold in gates.items() if micro_f1(result["pipeline"], name) < threshold]
    if failed:
        _fail("below the --min gates: " + "; ".join(failed))


@app.command()
def train(
    config: Path = typer.Option(Path("models/train.cfg"), help="Training config (spaCy config format)"),
    output: Path = typer.Option(None, help="Where to save the pipeline (default: the config's paths.output)"),
    variant: str = typer.Option("cnn", help="cnn (en_core_web_sm NER weights) or trf (see models/README.md)"),
) -> None:
    """Train the NER and relation scorer on the train split, select on dev, save the pipeline."""
    from pipeline.train.assemble import train as run_train

    if variant not in ("cnn", "trf"):
        _fail("--variant must be cnn or trf", 2)
    if not config.exists():
        _fail(f"{config}: no such config")
    manifest = run_train(config, output, log=lambda m: typer.echo(m, err=True), variant=variant)
    typer.echo(json.dumps({k: manifest[k] for k in ("pipeline_version", "train_seconds", "size_mb")}, indent=2))


@app.command("resolve-eval")
def resolve_eval(
    pairs: Path = typer.Option(CORPUS_DIR / "resolution_pairs.jsonl", help="Labelled cross-document pairs"),
    corpus: Path = typer.Option(CORPUS_DIR, help="Corpus directory (gold/*.jsonl)"),
    show_errors: bool = typer.Option(False, help="List the wrong pairs"),
) -> None:
    """Pairwise precision and recall of the cross-document resolver on the labelled pair set."""
    from pipeline.gold.corpus import read_records
    from pipeline.resolve.evaluate import evaluate_pairs

    records = read_records(sorted((corpus / "gold").glob("*.jsonl")))
    try:
        result = evaluate_pairs(records, pairs)
    except (OSError, ValueError, KeyError) as err:
        _fail(str(err))
    typer.echo(f"{result['pairs']} pairs: precision {result['precision']:.3f}, recall {result['recall']:.3f}, "
               f"F1 {result['f1']:.3f} (tp {result['tp']}, fp {result['fp']}, fn {result['fn']}, tn {result['tn']})")
    if show_errors:
        for error in result["errors"]:
            typer.echo(json.dumps(error, ensure_ascii=False))


@gold_app.command("build")
def gold_build(corpus: Path = typer.Option(CORPUS_DIR, help="Corpus directory")) -> None:
    """Convert corpus/annotated/*.ann into corpus/gold/{train,dev,test}.jsonl and corpus/articles/,
    and corpus/unseen/*.ann (held out) into corpus/gold/unseen.jsonl."""
    from pipeline.gold.authoring import AuthoringError
    from pipeline.gold.corpus import build

    try:
        counts = build(corpus)
    except (AuthoringError, ValueError, OSError) as err:
        _fail(str(err))
    typer.echo(f"built gold files: {counts}")


@gold_app.command("validate")
def gold_validate(paths: list[Path] = typer.Argument(None, help="Gold JSONL files (default: corpus/gold/*.jsonl)")) -> None:
    """Check every gold record against the guidelines; non-zero exit on any problem."""
    from pipeline.gold.corpus import read_records, trained_held_out
    from pipeline.gold.validate import validate_corpus

    if not paths:
        # A held-out set that also trains has its records in train.jsonl too: check them once there.
        try:
            copies = {f"{name}.jsonl" for name in trained_held_out(CORPUS_DIR / "splits.json")}
        except (OSError, ValueError) as err:
            _fail(str(err))
        paths = [p for p in sorted((CORPUS_DIR / "gold").glob("*.jsonl")) if p.name not in copies]
    if not paths:
        _fail("no gold files found (run `crimeie gold build` first)")
    try:
        records = read_records(paths)
    except (OSError, ValueError) as err:
        _fail(str(err))
    problems = validate_corpus(records)
    for problem in problems:
        typer.echo(problem)
    typer.echo(f"{len(records)} documents, {sum(len(r['spans']) for r in records)} spans, "
               f"{sum(len(r['relations']) for r in records)} relations: {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


@gold_app.command("stats")
def gold_stats(corpus: Path = typer.Option(CORPUS_DIR, help="Corpus directory"),
               as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Print document, word, label and relation counts per split, and check the corpus targets."""
    from pipeline.gold.corpus import HELD_OUT, SPLITS, corpus_stats, read_records

    splits = [*SPLITS, *(h for h in HELD_OUT if (corpus / "gold" / f"{h}.jsonl").exists())]
    stats = corpus_stats({s: read_records([corpus / "gold" / f"{s}.jsonl"]) for s in splits})
    if as_json:
        typer.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    typer.echo(f"documents {stats['documents']}, words {stats['words']:,}, Spanish {stats['spanish']}, "
               f"criminal groups {stats['criminal_groups']}")
    for split, s in stats["splits"].items():
        typer.echo(f"  {split:5s} documents {s['documents']:3d} (Spanish {s['spanish']}), words {s['words']:,}")
    typer.echo("spans:     " + ", ".join(f"{k} {v}" for k, v in stats["spans"].items()))
    typer.echo("relations: " + ", ".join(f"{k} {v}" for k, v in stats["relations"].items()))


@gold_app.command("agreement")
def gold_agreement(corpus: Path = typer.Option(CORPUS_DIR, help="Corpus directory"),
                   subset: str = typer.Option("all", "--set",
                                              help="Which first passes to compare: all, annotated, or a "
                                                   "held-out set (unseen)"),
                   as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Agreement between the first pass (annotated/ or a held-out set) and the independent second pass (second_pass/)."""
    from pipeline.evaluate.scorer import score
    from pipeline.gold.authoring import read_ann
    from pipeline.gold.corpus import HELD_OUT

    sets = ("annotated", *HELD_OUT)
    if subset != "all" and subset not in sets:
        _fail(f"--set {subset}: expected all or one of {', '.join(sets)}")
    first, second = [], []
    for path in sorted((corpus / "second_pass").glob("*.ann")):
        origin = next((name for name in sets if (corpus / name / path.name).exists()), None)
        if origin is None:
            _fail(f"{path}: no first pass {path.name} in {' or '.join(sets)}")
        if subset in ("all", origin):
            second.append(read_ann(path))
            first.append(read_ann(corpus / origin / path.name))
    if not second:
        _fail(f"{corpus / 'second_pass'}: no second pass for --set {subset}")
    for a, b in zip(first, second):
        if a["text"] != b["text"]:
            _fail(f"{b['id']}: the second pass changed the article text")
    m = score(first, second, n_bootstrap=1000)
    summary = {"documents": len(second),
               "mentions_strict_f1": m["mentions"]["strict"]["f1"], "mentions_lenient_f1": m["mentions"]["lenient"]["f1"],
               "entities_f1": m["entities"]["micro"]["f1"], "relations_f1": m["relations"]["micro"]["f1"],
               "aliases_f1": m["aliases"]["f1"], "hedged_agreement": m["relations"]["hedged_agreement"]["share"],
               "per_label_mentions_strict_f1": {k: v["strict"]["f1"] for k, v in m["mentions"]["per_label"].items()},
               "per_label_relations_f1": {k: v["f1"] for k, v in m["relations"]["per_label"].items()}}
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    from pipeline.evaluate.report import format_report

    typer.echo(format_report(m, title=f"agreement: first pass vs second pass, {len(second)} documents"))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
