"""The custom attributes newsdesk keeps on a spaCy ``Doc``, declared once.

Values live on the Doc (not in module globals), so Docs pickle across processes. Stages read
and write only these names; ``declare_extensions()`` is idempotent and called by
``newsdesk.components.register_components()``, never at import time.
"""

from __future__ import annotations

from spacy.tokens import Doc

BLOCKS = "newsdesk_blocks"
"""tuple[Block, ...]: the blocks of the text, set before the pipeline runs."""
ENTITIES = "newsdesk_entities"
"""tuple[Entity, ...]: resolved entities, written by the ``newsdesk_entities`` component."""

_DECLARED: dict[str, object] = {BLOCKS: (), ENTITIES: ()}


def declare_extensions() -> None:
    """Declare every newsdesk attribute on ``Doc`` (safe to call many times)."""
    for name, default in _DECLARED.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
