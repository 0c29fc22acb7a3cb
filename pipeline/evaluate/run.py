"""`crimeie evaluate` as a function: gold file in, metrics (and error tables) out."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.evaluate.scorer import error_rows, score

GATE_KEYS = {"mentions": ("mentions", "strict"), "mentions_lenient": ("mentions", "lenient"),
             "entities": ("entities", "micro"), "relations": ("relations", "micro"), "aliases": ("aliases",)}


def micro_f1(metrics: dict, gate: str) -> float:
    node = metrics
    for key in GATE_KEYS[gate]:
        node = node[key]
    return node["f1"]


def parse_gates(spec: str) -> dict[str, float]:
    gates = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, sep, value = item.partition("=")
        if not sep or name not in GATE_KEYS:
            raise ValueError(f"--min expects NAME=VALUE with NAME in {', '.join(GATE_KEYS)}; got {item!r}")
        gates[name] = float(value)
    return gates


def write_errors(gold: list[dict], pred: list[dict], out_dir: Path) -> dict[str, int]:
    import pandas as pd

    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in error_rows(gold, pred).items():
        frame = pd.DataFrame(rows)
        frame.to_parquet(out_dir / f"{name}.parquet", index=False)
        frame.to_csv(out_dir / f"{name}.csv", index=False)
        counts[name] = len(rows)
    return counts


def evaluate(gold_path: Path, pred_dir: Path | None = None, model: str | None = None,
             baseline: bool = False, train_path: Path | None = None, errors_dir: Path | None = None,
             n_bootstrap: int = 1000) -> dict:
    from pipeline.gold.corpus import read_records

    gold = read_records([gold_path])
    if pred_dir is not None:
        from pipeline.evaluate.predict import records_from_tables

        pred = records_from_tables(pred_dir)
    else:
        from pipeline.evaluate.predict import predict_records
        from pipeline.nlp.build import load_pipeline

        pred = predict_records(load_pipeline(model), gold)
    result = {"gold": str(gold_path), "pipeline": score(gold, pred, n_bootstrap=n_bootstrap)}
    if errors_dir is not None:
        result["error_counts"] = write_errors(gold, pred, errors_dir)
    if baseline:
        from pipeline.evaluate.baseline import baseline_records

        train = read_records([train_path]) if train_path and train_path.exists() else []
        result["baseline"] = score(gold, baseline_records(gold, train), n_bootstrap=n_bootstrap)
    return result


def dump_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
