"""Doc and Span extension attributes that carry candidates, provenance, entities and relations.

Candidate mentions from every source go to `doc.spans[CANDIDATES]`; a candidate's `span.id_`
names the rule or model that produced it and `span._.crimeie_score` its confidence. After the
merge step the chosen mentions are `doc.ents` with the same attributes. Links found by rules
(an alias and its person, an acronym and its full name) are char-offset pairs in
`doc._.crimeie_links` so they survive re-segmentation of spans.
"""

from spacy.tokens import Doc, Span

CANDIDATES = "crimeie_candidates"

for name, default in (("crimeie_links", None), ("crimeie_entities", None), ("crimeie_relations", None),
                      ("crimeie_meta", None)):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)
for name, default in (("crimeie_score", None), ("crimeie_entity", None), ("crimeie_key", None)):
    if not Span.has_extension(name):
        Span.set_extension(name, default=default)


def add_link(doc: Doc, a: Span | tuple[int, int], b: Span | tuple[int, int], kind: str) -> None:
    """Record that two mentions name the same thing (`kind`: alias, acronym, variant…)."""
    if doc._.crimeie_links is None:
        doc._.crimeie_links = []
    pa = (a.start_char, a.end_char) if isinstance(a, Span) else tuple(a)
    pb = (b.start_char, b.end_char) if isinstance(b, Span) else tuple(b)
    doc._.crimeie_links.append([pa[0], pa[1], pb[0], pb[1], kind])


def add_candidate(doc: Doc, span: Span, source: str, score: float, key: str | None = None,
                  kb_id: str | None = None) -> Span:
    """Add a candidate mention with its provenance to the candidates group. `kb_id` (default: the
    key) must be given here: a Span's extension values are stored under its kb_id."""
    candidate = Span(doc, span.start, span.end, label=span.label_, span_id=source, kb_id=kb_id or key or "")
    candidate._.crimeie_score = float(score)
    if key:
        candidate._.crimeie_key = key
    if CANDIDATES not in doc.spans:
        doc.spans[CANDIDATES] = []
    doc.spans[CANDIDATES].append(candidate)
    return candidate
