"""A cheap English/Spanish guess for articles that do not state their language."""

import re

_WORD = re.compile(r"[a-záéíóúñü]+")
_SPANISH = frozenset("el la los las de del que y en un una por con para se su al es lo como más pero sus le ya fue este ha sí porque esta entre cuando muy sin sobre también tras desde".split())
_ENGLISH = frozenset("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they has were been their its".split())


def guess_language(text: str, sample_chars: int = 5000) -> str:
    words = _WORD.findall(text[:sample_chars].lower())
    spanish = sum(w in _SPANISH for w in words)
    english = sum(w in _ENGLISH for w in words)
    return "es" if spanish > english else "en"
