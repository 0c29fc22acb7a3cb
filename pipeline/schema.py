"""The annotation schema of corpus/GUIDELINES.md, loaded once from resources/schema.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class RelationType:
    label: str
    head: frozenset[str]
    tail: frozenset[str]
    symmetric: bool
    same_label: bool = False

    def allows(self, head_label: str, tail_label: str) -> bool:
        if head_label not in self.head or tail_label not in self.tail:
            return False
        return not self.same_label or head_label == tail_label


@dataclass(frozen=True)
class Schema:
    version: int
    entity_labels: tuple[str, ...]
    relations: dict[str, RelationType]
    activity_keys: tuple[str, ...]

    @property
    def relation_labels(self) -> tuple[str, ...]:
        return tuple(self.relations)

    @property
    def symmetric_labels(self) -> frozenset[str]:
        return frozenset(r.label for r in self.relations.values() if r.symmetric)

    def allowed_relations(self, head_label: str, tail_label: str) -> list[str]:
        return [r.label for r in self.relations.values() if r.allows(head_label, tail_label)]


_KNOWN_RELATION_KEYS = {"head", "tail", "symmetric", "same_label"}


def _parse(data: dict) -> Schema:
    labels = tuple(data["entity_labels"])
    relations = {}
    for name, spec in data["relations"].items():
        unknown = set(spec) - _KNOWN_RELATION_KEYS
        if unknown:
            raise ValueError(f"schema.json: relation {name} has unknown keys {sorted(unknown)}")
        for side in ("head", "tail"):
            bad = set(spec[side]) - set(labels)
            if bad:
                raise ValueError(f"schema.json: relation {name} {side} uses unknown labels {sorted(bad)}")
        relations[name] = RelationType(
            name, frozenset(spec["head"]), frozenset(spec["tail"]),
            bool(spec["symmetric"]), bool(spec.get("same_label", False)))
    return Schema(int(data["guidelines_version"]), labels, relations, tuple(data["activity_keys"]))


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    text = resources.files("pipeline.resources").joinpath("schema.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))
