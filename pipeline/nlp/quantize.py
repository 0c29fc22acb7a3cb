"""Int8 weights for the trf NER's transformer at inference time.

MiniLM's linear layers hold nearly all of the trf NER's arithmetic. PyTorch's dynamic
quantization stores their weights as int8 and quantizes activations on the fly; on 2 CPU cores
the trf pipeline runs about a third faster, and the NER's scores move by less than their noise
(models/README.md). It changes nothing on disk: the pipeline is saved and trained in float32.

The component sits before the NER it quantizes and does the work on the first document it sees,
after every component's weights are loaded. It keeps the float32 modules: saving puts them back
(its `to_disk` runs before the NER's, which then writes float32 weights as always), and the next
document quantizes again.
"""

from __future__ import annotations

import warnings

from spacy.language import Language
from spacy.tokens import Doc


class Int8Transformer:
    def __init__(self, nlp: Language, name: str, target: str, enabled: bool):
        self.nlp, self.name, self.target, self.enabled = nlp, name, target, enabled
        self.quantized = False
        self._originals: list = []  # (shim, float32 module) pairs, restored before saving

    def quantize(self) -> int:
        """Swap each PyTorch module under the target component for its int8 copy; how many."""
        import torch

        count = 0
        for node in self.nlp.get_pipe(self.target).model.walk():
            for shim in getattr(node, "shims", []):
                module = getattr(shim, "_model", None)
                if isinstance(module, torch.nn.Module):
                    self._originals.append((shim, module))
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # the eager API's notice that torchao will replace it
                        shim._model = torch.ao.quantization.quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8)
                    count += 1
        self.quantized = True
        return count

    def __call__(self, doc: Doc) -> Doc:
        if self.enabled and not self.quantized:
            self.quantize()
        return doc

    def restore(self) -> None:
        """Put the float32 modules back."""
        for shim, module in self._originals:
            shim._model = module
        self._originals, self.quantized = [], False

    def to_disk(self, path, exclude=tuple()):
        """Nothing of its own to write (its settings are in the config): only the float32 modules
        go back, before the NER saves its weights."""
        self.restore()

    def from_disk(self, path, exclude=tuple()):
        return self


@Language.factory("crimeie_int8_transformer", default_config={"target": "crimeie_ner", "enabled": True})
def make_int8_transformer(nlp: Language, name: str, *, target: str, enabled: bool):
    return Int8Transformer(nlp, name, target, enabled)
