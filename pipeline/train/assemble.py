"""`crimeie train`: train the NER and the relation scorer, assemble and save the default pipeline."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import spacy
from confection import Config

from pipeline.nlp.build import BASE_MODEL, LATE_RULE_COMPONENTS, POST_MERGE, RULE_COMPONENTS, pipeline_version
from pipeline.nlp.layout import TOKENIZER_CONFIG
from pipeline.gold.corpus import read_records


def assemble(ner_nlp=None, relation_weights: dict | None = None, base: str = BASE_MODEL,
             relation_config: dict | None = None, pipeline_name: str = "crimeie_default",
             int8_transformer: bool = False):
    """The full pipeline: base model, rules, the trained NER (if any), merge, entities, relations.
    `int8_transformer` puts `crimeie_int8_transformer` before a transformer NER (pipeline/nlp/quantize.py)."""
    # With a trained NER the base model's own NER is not needed: it only fed the OntoNotes mapper.
    nlp = spacy.load(base, exclude=["ner"] if ner_nlp is not None else [], config=TOKENIZER_CONFIG)
    for name in RULE_COMPONENTS:
        if name == "crimeie_ontonotes_mapper" and ner_nlp is not None:
            continue  # the trained NER replaces the generic one, which misreads Spanish text
        nlp.add_pipe(name)
    if ner_nlp is not None:
        if int8_transformer:
            nlp.add_pipe("crimeie_int8_transformer", config={"target": "crimeie_ner"})
        nlp.add_pipe("crimeie_ner", source=ner_nlp)
        nlp.add_pipe("crimeie_ner_candidates")
    for name in LATE_RULE_COMPONENTS:
        nlp.add_pipe(name)
    for name in POST_MERGE:
        nlp.add_pipe(name, config=(relation_config or {}) if name == "crimeie_relations" else {})
    if relation_weights is not None:
        nlp.get_pipe("crimeie_relations").load_weights(relation_weights)
    nlp.meta["name"] = pipeline_name
    nlp.meta["version"] = "0.1.0"
    return nlp


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(config_path: Path, output: Path | None = None, log=print, variant: str = "cnn") -> dict:
    """Train the `variant` NER ("cnn" or "trf", config sections [ner] and [ner_trf]) and the
    relation scorer, assemble them with the rule layer and save the pipeline with a manifest."""
    cfg = Config().from_disk(config_path)
    seed = int(cfg["system"]["seed"])
    train_path, dev_path = Path(cfg["paths"]["train"]), Path(cfg["paths"]["dev"])
    output = output or Path(cfg["paths"]["output" if variant == "cnn" else "output_trf"])
    train_records, dev_records = read_records([train_path]), read_records([dev_path])
    started = time.perf_counter()
    from pipeline.train.ner import train_ner, train_trf_ner
    from pipeline.train.relations import train_relations

    if variant == "trf":
        ner_nlp, ner_report = train_trf_ner(train_records, dev_records, dict(cfg["ner_trf"]), seed, log)
    else:
        ner_nlp, ner_report = train_ner(train_records, dev_records, dict(cfg["ner"]), seed, log)
    ner_seconds = time.perf_counter() - started
    parser_nlp = spacy.load(BASE_MODEL)
    weights, rel_report = train_relations(parser_nlp, train_records, dev_records, dict(cfg["relations"]), seed, log)
    relation_config = {"window": int(cfg["relations"]["window"]),
                       "max_sentences": int(cfg["relations"]["max_sentences"])}
    nlp = assemble(ner_nlp, weights, relation_config=relation_config,
                   pipeline_name="crimeie_default" if variant == "cnn" else "crimeie_trf",
                   int8_transformer=variant == "trf" and bool(cfg["ner_trf"].get("int8_inference", True)))
    tmp = output.with_name(output.name + ".tmp")
    if tmp.exists():
        import shutil

        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    manifest = {
        "pipeline_version": pipeline_version(nlp),
        "config": str(config_path), "variant": variant, "seed": seed,
        "train_sha256": file_sha256(train_path), "dev_sha256": file_sha256(dev_path),
        "train_documents": len(train_records), "dev_documents": len(dev_records),
        "ner": ner_report, "relations": rel_report,
        "train_seconds": round(time.perf_counter() - started, 1), "ner_seconds": round(ner_seconds, 1),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=float), encoding="utf-8")
    if output.exists():
        import shutil

        shutil.rmtree(output)
    tmp.rename(output)
    manifest["size_mb"] = round(sum(f.stat().st_size for f in output.rglob("*") if f.is_file()) / 1e6, 1)
    (output / "manifest.json").write_text(json.dumps(manifest, indent=2, default=float), encoding="utf-8")
    return manifest
