import json
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def rule_nlp():
    """The rule pipeline on en_core_web_sm: real spaCy, no trained crimeie components."""
    from pipeline.nlp.build import build_rule_pipeline

    return build_rule_pipeline()


@pytest.fixture(scope="session")
def default_nlp():
    from pipeline.nlp.build import load_pipeline

    return load_pipeline()


ARTICLES = {
    "tda.txt": "Héctor Rusthenford Guerrero Flores, alias “Niño Guerrero”, led the Tren de Aragua from "
               "Tocorón prison in Aragua state. Venezuelan authorities said the gang ran extortion rackets.",
    "ecuador.md": "# Fito escapes\n\nAdolfo Macías, known as Fito, the leader of Los Choneros, escaped from the "
                  "Litoral penitentiary in Guayaquil, Ecuador, police said.",
}


@pytest.fixture()
def article_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Cartel news</title><script>var x = 'Sinaloa Cartel';</script></head>"
        "<body><p>The Sinaloa Cartel moved fentanyl through Culiacán, Mexico.</p>"
        "<p style='x' hidden>hidden text about Los Zetas</p></body></html>", encoding="utf-8")
    with (folder / "batch.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "j-1", "text": "La Policía Nacional del Perú capturó a alias Gocho en Lima.",
                                 "title": "Captura", "date": "2024-02-01", "source": "press release", "lang": "es"},
                                ensure_ascii=False) + "\n")
    return folder
