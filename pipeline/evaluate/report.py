"""A fixed-width terminal report of the metrics returned by `scorer.score`."""

from __future__ import annotations

_DASH = "–"


def _num(value: float | None) -> str:
    return _DASH if value is None else f"{value:.4f}"


def _delta(value: float | None, base: float | None) -> str:
    return _DASH if value is None or base is None else f"{value - base:+.4f}"


def _ci(ci: list[float] | None) -> str:
    return _DASH if not ci else f"[{ci[0]:.4f}, {ci[1]:.4f}]"


def _get(metrics: dict | None, *path: str):
    for key in path:
        if not isinstance(metrics, dict) or key not in metrics:
            return None
        metrics = metrics[key]
    return metrics


def _f1_cells(metrics: dict, baseline: dict | None, *path: str) -> list[str]:
    f1 = _get(metrics, *path, "f1")
    cells = [_num(f1)]
    if baseline is not None:
        base = _get(baseline, *path, "f1")
        cells += [_num(base), _delta(f1, base)]
    return cells


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "  ".join([first, *rest]).rstrip()
    return [line(header), "  ".join("-" * w for w in widths), *map(line, rows)]


def format_report(metrics: dict, baseline: dict | None = None, title: str = "") -> str:
    """Render `metrics` (and its F1 difference from `baseline`, if given) as a text table."""
    out: list[str] = []
    if title:
        out += [title, "=" * len(title)]
    c = metrics["counts"]
    out.append(
        f"documents {c['documents']} | spans gold {c['gold_spans']} pred {c['pred_spans']}"
        f" | entities gold {c['gold_entities']} pred {c['pred_entities']}"
        f" | relations gold {c['gold_relations']} pred {c['pred_relations']}"
        f" | unmatched pred docs {c['unmatched_pred_docs']}")
    out.append("")

    f1_header = ["F1"] + (["base F1", "Δ"] if baseline is not None else [])
    rows = []
    for name, path in (("mentions strict", ("mentions", "strict")),
                       ("mentions lenient", ("mentions", "lenient")),
                       ("entities", ("entities", "micro")),
                       ("relations", ("relations", "micro")),
                       ("aliases", ("aliases",))):
        block = _get(metrics, *path)
        rows.append([name, _num(block["precision"]), _num(block["recall"]),
                     *_f1_cells(metrics, baseline, *path), _ci(block.get("ci95"))])
    out += _table(["", "P", "R", *f1_header, "95% CI"], rows)
    out.append("")

    rows = []
    for label in metrics["mentions"]["per_label"]:
        path = ("mentions", "per_label", label)
        rows.append([label, *_f1_cells(metrics, baseline, *path, "strict"),
                     *_f1_cells(metrics, baseline, *path, "lenient")])
    header = ["mentions by label"]
    for kind in ("strict", "lenient"):
        header += [f"{kind} F1"] + ([f"base {kind}", "Δ"] if baseline is not None else [])
    out += _table(header, rows)
    out.append("")

    rows = []
    for label, block in metrics["relations"]["per_label"].items():
        path = ("relations", "per_label", label)
        rows.append([label, _num(block["precision"]), _num(block["recall"]),
                     *_f1_cells(metrics, baseline, *path), str(block["tp"] + block["fn"])])
    out += _table(["relations by label", "P", "R", *f1_header, "support"], rows)
    out.append("")

    hedged = metrics["relations"]["hedged_agreement"]
    line = f"hedged agreement: {_num(hedged['share'])} over {hedged['matched']} matched relations"
    if baseline is not None:
        base = _get(baseline, "relations", "hedged_agreement", "share")
        line += f" (base {_num(base)}, Δ {_delta(hedged['share'], base)})"
    out.append(line)
    return "\n".join(out) + "\n"
