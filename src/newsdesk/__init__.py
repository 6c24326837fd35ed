"""newsdesk: auditable event data from news reports.

The public API is what ``__all__`` lists; everything else is private and may change.

    >>> import newsdesk
    >>> article = newsdesk.analyze(text, published="2021-08-24")
    >>> [entity.name for entity in article.entities]

Records, errors and settings import nothing heavy. The names that need spaCy (the pipeline,
the components) or the database (the store) are imported when first used, so that the corpus
layer and the command line's quick commands never load a language model they do not need.
"""

from importlib import import_module
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from newsdesk.errors import (
    ConfigError,
    DataError,
    InputRejected,
    ModelError,
    NewsdeskError,
    StoreError,
)
from newsdesk.records import (
    Actor,
    Article,
    Block,
    Claim,
    Entity,
    Event,
    Evidence,
    Input,
    MergedEvent,
    Place,
    Quantity,
    Quote,
    Rejected,
    Role,
    Story,
    Syndication,
    TimeExpression,
)
from newsdesk.settings import Settings, load_settings

if TYPE_CHECKING:
    from newsdesk.components import register_components
    from newsdesk.corpus.store import Store
    from newsdesk.data.knowledge_base import KnowledgeBase, load_knowledge_base
    from newsdesk.pipeline import Analyzer, analyze, load_pipeline

__version__ = version("newsdesk")

_LAZY = {
    "Analyzer": "newsdesk.pipeline",
    "analyze": "newsdesk.pipeline",
    "load_pipeline": "newsdesk.pipeline",
    "register_components": "newsdesk.components",
    "KnowledgeBase": "newsdesk.data.knowledge_base",
    "load_knowledge_base": "newsdesk.data.knowledge_base",
    "Store": "newsdesk.corpus.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'newsdesk' has no attribute {name!r}")


__all__ = [
    "Actor",
    "Analyzer",
    "Article",
    "Block",
    "Claim",
    "ConfigError",
    "DataError",
    "Entity",
    "Event",
    "Evidence",
    "Input",
    "InputRejected",
    "KnowledgeBase",
    "MergedEvent",
    "ModelError",
    "NewsdeskError",
    "Place",
    "Quantity",
    "Quote",
    "Rejected",
    "Role",
    "Settings",
    "Store",
    "StoreError",
    "Story",
    "Syndication",
    "TimeExpression",
    "__version__",
    "analyze",
    "load_knowledge_base",
    "load_pipeline",
    "load_settings",
    "register_components",
]
