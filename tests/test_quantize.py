"""The trf variant's int8 transformer (pipeline/nlp/quantize.py), on a real MiniLM NER."""

import spacy
import torch
from spacy.training import Example

import pipeline.nlp  # noqa: F401  (registers the factories and crimeie.MiniLMWithShape.v1)


def minilm_ner_pipeline(enabled: bool = True):
    """A blank English pipeline with an (untrained) NER over the local all-MiniLM-L6-v2, the int8
    component in front of it, as `crimeie train --variant trf` assembles it."""
    from thinc.api import fix_random_seed

    fix_random_seed(0)
    nlp = spacy.blank("en")
    tok2vec = {"@architectures": "crimeie.MiniLMWithShape.v1", "window": 64, "stride": 48, "shape_width": 16,
               "shape_rows": [100, 100, 100]}
    model = {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
             "hidden_width": 16, "maxout_pieces": 2, "use_upper": False, "tok2vec": tok2vec}
    nlp.add_pipe("crimeie_int8_transformer", config={"target": "crimeie_ner", "enabled": enabled})
    nlp.add_pipe("ner", name="crimeie_ner", config={"model": model})
    doc = nlp.make_doc("Héctor Guerrero Flores led the Tren de Aragua.")
    example = Example.from_dict(doc, {"entities": [(0, 22, "PERSON"), (31, 45, "CRIMINAL_GROUP")]})
    nlp.initialize(lambda: [example])
    return nlp


def linear_kinds(nlp):
    kinds = set()
    for node in nlp.get_pipe("crimeie_ner").model.walk():
        for shim in getattr(node, "shims", []):
            module = getattr(shim, "_model", None)
            if isinstance(module, torch.nn.Module):
                kinds |= {type(m).__module__ + "." + type(m).__name__ for m in module.modules() if "Linear" in type(m).__name__}
    return kinds


def token_vectors(nlp, text):
    import numpy

    # the transformer's output per token, before the NER's own layers
    transformer = nlp.get_pipe("crimeie_ner").model.get_ref("tok2vec").layers[0].layers[0]
    return numpy.asarray(transformer.predict([nlp.make_doc(text)])[0])


def test_the_first_document_quantizes_the_ner_transformer_and_saving_writes_float32(tmp_path):
    import numpy

    nlp = minilm_ner_pipeline()
    assert all("quantized" not in k for k in linear_kinds(nlp))
    text = "Alias Niño Guerrero escaped from Tocorón prison in Aragua."
    float32 = token_vectors(nlp, text)
    nlp(text)
    int8 = token_vectors(nlp, text)
    # int8 weights move MiniLM's token vectors (cosine about 0.95 to the float32 ones), not wholesale
    cosine = (float32 * int8).sum(1) / numpy.linalg.norm(float32, axis=1) / numpy.linalg.norm(int8, axis=1)
    assert not numpy.array_equal(float32, int8) and cosine.min() > 0.9
    assert nlp.get_pipe("crimeie_int8_transformer").quantized
    assert any("quantized.dynamic" in k for k in linear_kinds(nlp))
    quantized_ents = [(e.start, e.end, e.label_) for e in nlp(text).ents]
    nlp.to_disk(tmp_path / "trf")  # puts the float32 modules back before the NER writes its weights
    assert all("quantized" not in k for k in linear_kinds(nlp))
    reloaded = spacy.load(tmp_path / "trf")
    assert reloaded.pipe_names == ["crimeie_int8_transformer", "crimeie_ner"]
    assert all("quantized" not in k for k in linear_kinds(reloaded))
    assert numpy.array_equal(token_vectors(reloaded, text), float32)  # float32 on disk
    # The same float32 weights quantize to the same int8 weights: the reloaded pipeline reads alike.
    assert [(e.start, e.end, e.label_) for e in reloaded(text).ents] == quantized_ents
    assert numpy.array_equal(token_vectors(reloaded, text), int8)
    assert reloaded.get_pipe("crimeie_int8_transformer").quantized


def test_quantization_can_be_switched_off_in_the_config():
    nlp = minilm_ner_pipeline(enabled=False)
    nlp("Los Choneros run the Litoral prison.")
    assert not nlp.get_pipe("crimeie_int8_transformer").quantized
    assert all("quantized" not in k for k in linear_kinds(nlp))


def test_crimeie_train_puts_the_int8_step_before_a_transformer_ner():
    """`assemble`, which `crimeie train --variant trf` calls, with the trained NER sourced in."""
    from pipeline.train.assemble import assemble

    ner_nlp = minilm_ner_pipeline(enabled=False)
    ner_nlp.remove_pipe("crimeie_int8_transformer")
    nlp = assemble(ner_nlp, int8_transformer=True, pipeline_name="crimeie_trf")
    names = nlp.pipe_names
    assert names.index("crimeie_int8_transformer") == names.index("crimeie_ner") - 1
    nlp("Héctor Guerrero Flores, alias “Niño Guerrero”, led the Tren de Aragua.")
    assert any("quantized.dynamic" in k for k in linear_kinds(nlp))
