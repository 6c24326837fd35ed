"""newsdesk: auditable event data from news reports.

The public API is what ``__all__`` lists; everything else is private and may change.

    >>> import newsdesk
    >>> article = newsdesk.analyze(text, published="2021-08-24")
    >>> [entity.name for entity in article.entities]
"""

from importlib.metadata import version

from newsdesk.components import register_components
from newsdesk.data.knowledge_base import KnowledgeBase, load_knowledge_base
from newsdesk.errors import ConfigError, DataError, InputRejected, ModelError, NewsdeskError
from newsdesk.pipeline import Analyzer, analyze, load_pipeline
from newsdesk.records import (
    Actor,
    Article,
    Block,
    Claim,
    Entity,
    Event,
    Evidence,
    Input,
    Place,
    Quantity,
    Quote,
    Rejected,
    Role,
    TimeExpression,
)
from newsdesk.settings import Settings, load_settings

__version__ = version("newsdesk")

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
    "ModelError",
    "NewsdeskError",
    "Place",
    "Quantity",
    "Quote",
    "Rejected",
    "Role",
    "Settings",
    "TimeExpression",
    "__version__",
    "analyze",
    "load_knowledge_base",
    "load_pipeline",
    "load_settings",
    "register_components",
]
