"""The spaCy pipeline: the pretrained base, the domain rule components, trained components,
the explicit merge of their candidates, in-document entity grouping and relation extraction.

Importing this package registers every factory with spaCy.
"""

from pipeline.nlp import extensions  # noqa: F401  (registers Doc/Span extensions)
from pipeline.nlp import layout  # noqa: F401  (registers the unwrapping tokenizer)
from pipeline.nlp import (  # noqa: F401  (registers factories)
    base_ner, merge, entities, gazetteer, places, facilities, activities, spanish_names, acronyms, aliases, surnames,
    relations,
    transformer_embed, quantize,
)
