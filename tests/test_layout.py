"""Hard-wrapped articles read like running text, with every offset pointing into the text as given."""

from pipeline.nlp.layout import hard_wrap, unwrap, wrap_newlines

PARAGRAPH = ("Venezuelan police said on Tuesday that they had arrested Yohan José Romero, alias “Johan Petrica”, "
             "one of the founders of the Tren de Aragua, in a rural area of Bolívar state, where the gang has "
             "controlled illegal gold mines around Las Claritas for years. Prosecutors said Romero answered to "
             "Héctor Rusthenford Guerrero Flores, alias “Niño Guerrero”, the group's top leader.")


def entities(nlp, text):
    doc = nlp(text)
    return sorted((e["label"], e["name"], tuple(sorted(e["aliases"]))) for e in doc._.crimeie_entities), \
        [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def test_a_wrapped_paragraph_gives_the_same_mentions_aliases_and_offsets(default_nlp):
    wrapped = hard_wrap(PARAGRAPH, 60)
    assert wrapped.count("\n") >= 4 and len(wrapped) == len(PARAGRAPH)
    assert entities(default_nlp, wrapped) == entities(default_nlp, PARAGRAPH)
    people = {name: aliases for label, name, aliases in entities(default_nlp, wrapped)[0] if label == "PERSON"}
    assert people["Héctor Rusthenford Guerrero Flores"] == ("Niño Guerrero",)


def test_one_paragraph_per_line_keeps_its_line_breaks():
    text = ("CARACAS, March 3 (wire) – Police arrested two men.\n"
            "The Tren de Aragua denied any role.\n"
            "Prosecutors said the case was open.\n"
            "More arrests were expected.")
    assert wrap_newlines(text) == []


def test_blank_lines_list_items_and_qa_turns_are_not_joined():
    text = ("Those arrested were\n- Yohan José Romero, alias Johan Petrica\n- Giovanni San Vicente\n\n"
            "Q: Who leads the gang\nA: Niño Guerrero, according to\nthe police.")
    assert unwrap(text) == text.replace("according to\nthe", "according to the")


def test_unwrapping_turns_mid_sentence_newlines_into_spaces_and_keeps_the_length():
    unwrapped = unwrap(hard_wrap(PARAGRAPH, 60))
    assert unwrapped.replace("\n", " ") == PARAGRAPH
    # A break after a full stop may be a paragraph end: it stays.
    assert all(unwrapped[i - 1] == "." for i, char in enumerate(unwrapped) if char == "\n")


def test_the_documents_table_keeps_the_article_as_given(default_nlp, tmp_path):
    import pandas as pd

    from pipeline.extract.run import extract

    folder = tmp_path / "in"
    folder.mkdir()
    wrapped = hard_wrap(PARAGRAPH, 60)
    (folder / "wrapped.txt").write_text(wrapped, encoding="utf-8")
    extract([str(folder)], tmp_path / "out", default_nlp, progress=False, report=lambda m: None)
    document = pd.read_parquet(tmp_path / "out" / "documents").iloc[0]
    assert document.text == wrapped
    mentions = pd.read_parquet(tmp_path / "out" / "mentions")
    assert "Héctor Rusthenford Guerrero Flores" in {text.replace("\n", " ") for text in mentions.text}
    assert all(wrapped[m.start:m.end] == m.text for m in mentions.itertuples())
