"""A second look at each label's scores: a candidate pair beside its rivals in the article.

The per-label scorer (relations.py) reads each entity pair alone. Whether `X LEADER_OF Y` holds
also depends on the other candidates of the same article: a group has one or two leaders, a
detainee one arresting body, a person one prison, and a pair that scores 0.6 for LEADER_OF and
0.9 for MEMBER_OF is a member. The stacker is one small logistic regression per label over the
first scorer's output:

- the pair's logit for the label, and its logits for every other label its argument types allow;
- the text-only model's logit for the label (the same for a pair the prior does not know): two
  readings of the pair, one with what the training articles related and one without;
- whether the prior knew neither name (`relation_prior.UNKNOWN_TO_PRIOR`: the text-only model scored it);
- among the candidates that share its head, and among those that share its tail: its rank by
  score, its distance below the best of them, how many there are, and whether it is the best.

It is trained on out-of-fold scores (`crimeie train`), so it learns how the first scorer behaves
on articles it did not see, and its probabilities share one threshold (`fit_stacker`). Out of fold
over train and dev, micro F1 0.635 → 0.647 (0.643 without the text-only logit); test 0.623 →
0.652, pooled over the 43 unread articles 0.614 → 0.630.
"""

from __future__ import annotations

import numpy as np

#: Names of the features that follow the label's own logit and the other labels' logits.
FEATURES_AFTER_LOGITS = ("text_only_logit", "unknown_to_prior", "head_rank", "head_gap", "head_rivals",
                         "tail_rank", "tail_gap", "tail_rivals", "best_of_head", "best_of_tail")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _competition(probs: np.ndarray, allowed: np.ndarray, groups: np.ndarray, j: int):
    """For each row allowed label j: its rank by score among the rows of its group (0 the best;
    ties in row order), its distance below the group's best score, and the group's size."""
    n = len(groups)
    rank, gap, size = np.zeros(n), np.zeros(n), np.zeros(n)
    rows = np.flatnonzero(allowed[:, j])
    if not rows.size:
        return rank, gap, size
    scores, group = probs[rows, j], groups[rows]
    order = np.lexsort((-scores, group))  # by group, best first; stable, so ties keep row order
    group, scores, rows = group[order], scores[order], rows[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    counts = np.diff(np.r_[starts, len(rows)])
    first = np.repeat(starts, counts)
    rank[rows] = np.arange(len(rows)) - first
    gap[rows] = scores[first] - scores
    size[rows] = np.repeat(counts, counts)
    return rank, gap, size


def stack_features(probs: np.ndarray, text_only: np.ndarray, allowed: np.ndarray, unknown: np.ndarray,
                   heads: np.ndarray, tails: np.ndarray, j: int) -> np.ndarray:
    """The stacker's input for label j: one row per candidate pair. `probs` (the scorer's
    output), `text_only` (the text-only model's) and `allowed` hold a column per label; `heads`
    and `tails` number each pair's sides (in training, apart per article: pairs compete only
    within one)."""
    head_rank, head_gap, head_rivals = _competition(probs, allowed, heads, j)
    tail_rank, tail_gap, tail_rivals = _competition(probs, allowed, tails, j)
    logits = _logit(probs) * allowed
    columns = [logits[:, j]] + [logits[:, m] for m in range(probs.shape[1]) if m != j]
    columns += [_logit(text_only[:, j]) * allowed[:, j], np.asarray(unknown, dtype=float),
                np.minimum(head_rank, 3), head_gap, np.log1p(head_rivals),
                np.minimum(tail_rank, 3), tail_gap, np.log1p(tail_rivals),
                (head_rank == 0).astype(float), (tail_rank == 0).astype(float)]
    return np.column_stack(columns)


class RelationStacker:
    """Per label: weights over `stack_features` and the threshold on the stacked probability."""

    def __init__(self, labels: list[str], coef: np.ndarray, intercept: np.ndarray, thresholds: dict[str, float]):
        self.labels, self.thresholds = list(labels), dict(thresholds)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)

    def probabilities(self, probs: np.ndarray, text_only: np.ndarray, allowed: np.ndarray, unknown: np.ndarray,
                      heads: np.ndarray, tails: np.ndarray) -> np.ndarray:
        """Stacked probabilities, one column per label; 0 where the label is not allowed."""
        probs = np.asarray(probs, dtype=np.float64) * allowed
        text_only = np.asarray(text_only, dtype=np.float64) * allowed
        out = np.zeros_like(probs)
        for j in range(len(self.labels)):
            x = stack_features(probs, text_only, allowed, unknown, heads, tails, j)
            out[:, j] = 1.0 / (1.0 + np.exp(-(x @ self.coef[j] + self.intercept[j])))
        return out * allowed

    def to_dict(self) -> dict:
        return {"labels": self.labels,
                "features": "the label's logit, the other labels' logits in `labels` order, "
                            + ", ".join(FEATURES_AFTER_LOGITS),
                "coef": self.coef.tolist(), "intercept": self.intercept.tolist(), "thresholds": self.thresholds}

    @classmethod
    def from_dict(cls, data: dict) -> "RelationStacker":
        return cls(data["labels"], data["coef"], data["intercept"], data["thresholds"])
