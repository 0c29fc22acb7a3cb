"""What the training articles said about named pairs: a prior for the relation scorer.

Reporting on the same groups keeps restating the same facts: `Niño Guerrero` leads the `Tren de
Aragua`, the CJNG is at war with the Sinaloa Cartel, the Clan del Golfo operates in Urabá. The
gold relations of the training articles, keyed by each side's label and the folded names of its
mentions (and a place's code), give a candidate pair one feature `prior=LABEL` for each label that some
training article gave the same names. The scorer learns how far to trust it beside what the
sentence says: among pairs that an article names and the training articles related, the
article states LEADER_OF again nearly always, OPERATES_IN about a third of the time.

The prior is knowledge, not text: it never adds a relation on its own, only features of a pair
whose mentions already come within the scorer's window. While the scorer trains, a row's own
article (or, for the out-of-fold thresholds, its whole fold) is left out of the prior, so the
feature fires as often in training as on an article the corpus has never seen. A pair neither
of whose names the prior knows is scored by a second model trained without it
(`RelationExtractor.text_only`): a model that learned to expect the prior reads its silence as
evidence against a relation, which on articles about names the corpus never covered cost
relations (pooled over the unread sets 0.562 → 0.539 with the prior emptied).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.nlp.lexicon import fold

PRIOR_FILE = "prior.json"
#: The feature of a pair neither of whose names the prior knows: the text-only model scores it.
UNKNOWN_TO_PRIOR = "prior_known=none"


def entity_keys(ctx, k: int) -> frozenset[str]:
    """The keys an entity is known by: its label and each named mention's folded text
    (`CRIMINAL_GROUP:sinaloa`, apart from `LOCATION:sinaloa`) and, for a place with a code, `@`
    and the code (`@CO-ANT`), so `Antioquia` and `antioquia department` meet. Memoized on the
    context: the scorer asks for each entity once per pair."""
    cached = ctx.entity_key_cache.get(k)
    if cached is not None:
        return cached
    label = ctx.label_of.get(k, "")
    keys = {f"{label}:{fold(m.text).strip()}" for m in ctx.mentions.get(k, ()) if m.start not in ctx.pronoun_starts}
    code = ctx.place_key.get(k)
    if code:
        keys.add("@" + code)
    keys.discard(f"{label}:")
    cached = ctx.entity_key_cache[k] = frozenset(keys)
    return cached


def prior_feature_names(labels, head_known: bool, tail_known: bool) -> list[str]:
    """`prior=LABEL` for each label the prior states for the pair, and `prior_known=` both / head
    / tail / none: whether each side is in the prior at all. A pair of known entities that the
    prior never related is evidence against a relation; a pair the prior has never heard of is no
    evidence either way, and the scorer must be able to tell them apart."""
    names = [f"prior={label}" for label in sorted(labels)]
    names.append("prior_known=" + ("both" if head_known and tail_known else "head" if head_known
                                   else "tail" if tail_known else "none"))
    return names


def prior_feature_names_without(gathered: tuple[dict[str, set], set, set], exclude) -> list[str]:
    """`prior_feature_names` from `RelationPrior.gather`'s article sets, the articles in `exclude`
    left out (training: a row's own article or fold)."""
    by_label, head_articles, tail_articles = gathered
    return prior_feature_names([label for label, articles in by_label.items() if articles - exclude],
                               bool(head_articles - exclude), bool(tail_articles - exclude))


class RelationPrior:
    """(head key, tail key) → {label: the ids of the articles that state it}, and key → the
    articles whose relations it takes part in."""

    def __init__(self, facts: dict[tuple[str, str], dict[str, set]] | None = None):
        self.facts: dict[tuple[str, str], dict[str, set]] = {}
        self.known: dict[str, set] = {}
        for (a, b), by_label in (facts or {}).items():
            for label, articles in by_label.items():
                self._add_fact(a, label, b, articles)

    def _add_fact(self, a: str, label: str, b: str, articles) -> None:
        self.facts.setdefault((a, b), {}).setdefault(label, set()).update(articles)
        self.known.setdefault(a, set()).update(articles)
        self.known.setdefault(b, set()).update(articles)

    def add(self, head_keys, label: str, tail_keys, article, symmetric: bool = False) -> None:
        for a in head_keys:
            for b in tail_keys:
                self._add_fact(a, label, b, (article,))
                if symmetric:
                    self._add_fact(b, label, a, (article,))

    def gather(self, head_keys, tail_keys) -> tuple[dict[str, set], set, set]:
        """The articles behind each label of the pair, and those that know each side."""
        by_label: dict[str, set] = {}
        for a in head_keys:
            for b in tail_keys:
                for label, articles in self.facts.get((a, b), {}).items():
                    by_label.setdefault(label, set()).update(articles)
        head = set().union(*(self.known.get(a, ()) for a in head_keys))
        tail = set().union(*(self.known.get(b, ()) for b in tail_keys))
        return by_label, head, tail

    def features(self, head_keys, tail_keys, exclude=frozenset()) -> dict[str, float]:
        if exclude:
            return dict.fromkeys(prior_feature_names_without(self.gather(head_keys, tail_keys), exclude), 1.0)
        facts, known = self.facts, self.known
        labels = {label for a in head_keys for b in tail_keys for label in facts.get((a, b), ())}
        return dict.fromkeys(prior_feature_names(labels, any(a in known for a in head_keys),
                                                 any(b in known for b in tail_keys)), 1.0)

    def restricted(self, articles) -> "RelationPrior":
        """The prior of these articles only."""
        keep = set(articles)
        kept = {pair: {label: found & keep for label, found in by_label.items() if found & keep}
                for pair, by_label in self.facts.items()}
        return RelationPrior({pair: by_label for pair, by_label in kept.items() if by_label})

    def __len__(self) -> int:
        return len(self.facts)

    # -- on disk: one row per (head key, label, tail key) with the number of articles -----------
    def to_rows(self) -> list[list]:
        return sorted([a, label, b, len(articles)] for (a, b), by_label in self.facts.items()
                      for label, articles in by_label.items() if articles)

    @classmethod
    def from_rows(cls, rows) -> "RelationPrior":
        """Articles are numbered 0..n-1 per fact: on disk only their number is kept."""
        prior = cls()
        for a, label, b, n in rows:
            prior._add_fact(a, label, b, range(int(n)))
        return prior

    def to_disk(self, directory: Path) -> None:
        (Path(directory) / PRIOR_FILE).write_text(json.dumps({"facts": self.to_rows()}, ensure_ascii=False),
                                                  encoding="utf-8")

    @classmethod
    def from_disk(cls, directory: Path) -> "RelationPrior | None":
        file = Path(directory) / PRIOR_FILE
        if not file.exists():
            return None
        return cls.from_rows(json.loads(file.read_text(encoding="utf-8"))["facts"])
