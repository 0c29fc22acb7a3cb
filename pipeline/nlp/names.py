"""Pure functions over token sequences shared by the name rules: capitalized runs joined by
Spanish particles, and the title words that never belong to a name."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from pipeline.nlp.lexicon import fold, folded_cues

CONNECTORS = {"de", "del", "la", "las", "los", "y", "e", "el", "do", "da", "dos", "das"}
#: Spanish articles: part of a name only where capitalized mid-sentence (`Los Meleán`, `El Salvador`),
#: never where written in lowercase (`el Tren de Aragua`), GUIDELINES §2.
SPANISH_ARTICLES = frozenset({"el", "la", "los", "las"})
#: The definite articles of both languages, lowercase: never the first word of a name.
ARTICLES = SPANISH_ARTICLES | {"the"}
#: The possessive endings as the tokenizer splits them off (`Attorney's`, `People’s`).
POSSESSIVES = {"'s", "’s"}
#: Capitalized function words that start sentences or titles but never a name.
SENTENCE_WORDS = {"the", "a", "an", "in", "on", "at", "by", "for", "from", "with", "this", "that", "these",
                  "those", "his", "her", "its", "their", "our", "after", "before", "when", "while", "as",
                  "but", "and", "or", "if", "since", "under", "over", "during", "according", "however",
                  "en", "un", "una", "por", "para", "con", "según", "segun", "tras", "desde", "pero",
                  "este", "esta", "estos", "estas", "su", "sus", "al", "durante", "cuando", "ante", "sin",
                  "it", "he", "she", "they", "we", "i", "there", "then", "also", "both", "all", "some",
                  "many", "most", "several", "one", "two", "three", "last", "next", "new", "former", "other",
                  "meanwhile", "although", "though", "because", "despite", "around", "between", "within",
                  "among", "into", "through", "until", "where", "which", "who", "what", "why", "how",
                  "y", "o", "ni", "que", "lo", "le", "les", "se", "mientras", "aunque", "entre", "hasta",
                  "besides", "unlike", "like", "against", "without", "beyond", "behind", "near", "toward",
                  "towards", "across", "amid", "upon", "via", "along", "alongside", "inside", "outside",
                  "throughout", "aboard", "beneath", "above", "below", "además", "contra", "sobre", "hacia", "incluso",
                  "excepto", "salvo", "today", "yesterday", "now", "hoy", "ayer", "ahora", "entonces", "luego",
                  "allí", "alli", "aquí", "aqui"}


def is_capitalized(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


def title_words() -> frozenset[str]:
    return folded_cues("person_titles_en", "person_titles_es")


def is_word_hyphen(doc: Doc, j: int) -> bool:
    """Token j is a hyphen inside one word (`Beira-Mar`), not a dash between words (`Cúcuta - Caracas`)."""
    return doc[j].text == "-" and j > 0 and not doc[j - 1].whitespace_ and not doc[j].whitespace_


def capitalized_runs(doc: Doc, start: int = 0, end: int | None = None, max_len: int = 12) -> list[tuple[int, int]]:
    """Maximal runs of capitalized tokens, joined by lowercase particles (`Tren de Aragua`,
    `Cuerpo de Investigaciones Científicas, Penales y Criminalísticas` needs the comma rule of
    the acronym finder, not this). A run never starts or ends with a particle."""
    end = len(doc) if end is None else end
    runs = []
    i = start
    while i < end:
        if not is_capitalized(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < end:
            if is_capitalized(doc[j]) and not doc[j].is_sent_start:
                j += 1
            elif ((doc[j].text in CONNECTORS or is_word_hyphen(doc, j)) and j + 1 < end
                  and (is_capitalized(doc[j + 1]) or doc[j + 1].like_num) and not doc[j + 1].is_sent_start):
                j += 2  # `Tren de Aragua`, `Beira-Mar`
            elif (is_word_hyphen(doc, j) and j + 3 < end and doc[j + 1].is_lower and is_word_hyphen(doc, j + 2)
                  and is_capitalized(doc[j + 3])):
                j += 4  # `Croix-des-Bouquets`: a particle inside one hyphenated word
            elif (doc[j].text in CONNECTORS and j + 2 < end and doc[j + 1].text in CONNECTORS
                  and is_capitalized(doc[j + 2])):
                j += 3  # `Cartel de los Soles`
            else:
                break
        if j - i <= max_len:
            runs.append((i, j))
        i = j
    return runs


def trim_run(doc: Doc, start: int, end: int, titles: set[str]) -> tuple[int, int]:
    """Drop sentence words, titles and determiners at the left edge of a run."""
    while start < end and (fold(doc[start].text) in SENTENCE_WORDS or fold(doc[start].text.rstrip(".")) in titles):
        start += 1
    while end > start and doc[end - 1].text in CONNECTORS:
        end -= 1
    return start, end


def possessive_office_end(doc: Doc, end: int) -> int:
    """The end of an office's name that runs on through a possessive: `the Bronx District
    Attorney's Office`, `the People’s National Party` (cue_words.json `possessive_office_*`);
    `end` itself when the name before the possessive is not an office holder's. The name rule
    takes the whole name, and the gazetteer leaves the known name after the possessive to it."""
    if end + 1 >= len(doc) or doc[end].text not in POSSESSIVES or fold(doc[end - 1].text) not in \
            folded_cues("possessive_office_holders"):
        return end
    runs = capitalized_runs(doc, end + 1, min(end + 7, len(doc)))
    if runs and runs[0][0] == end + 1 and not doc[end + 1].is_sent_start \
            and any(fold(t.text) in folded_cues("possessive_office_heads") for t in doc[runs[0][0]:runs[0][1]]):
        return runs[0][1]
    return end


def names_a_family(doc: Doc, start: int, end: int, surnames: set[str] | frozenset[str] = frozenset()) -> bool:
    """`the Treviño brothers`, `the Guzmán family`, and in Spanish order `los hermanos Guzmán`, `la
    familia Cantero`: the words start..end name a family, which is no one person's mention and no
    place (GUIDELINES §2), nor a group unless the text names it as one. In Spanish order the family
    noun comes first, so the words must also be a surname the article gives someone (`surnames`,
    folded): `the brothers Javier Antonio and Luis Enrique Calle Serna` names two people."""
    if start > 0 and end < len(doc) and doc[start - 1].lower_ in ARTICLES \
            and doc[end].is_lower and fold(doc[end].text) in folded_cues("family_nouns"):
        return True
    before = folded_cues("family_nouns_before_surname")
    return (start > 1 and doc[start - 1].is_lower and fold(doc[start - 1].text) in before
            and doc[start - 2].lower_ in ARTICLES and fold(doc[start:end].text) in surnames)
