"""``newsdesk serve``: the desk in a browser (server-rendered pages) and over HTTP (a REST API
with an OpenAPI document), on one store, read-only unless started with a token.

    >>> from newsdesk.serve import ServeConfig, create_app
    >>> app = create_app(ServeConfig(db="newsdesk.sqlite"))   # an ASGI app: uvicorn runs it

Modules: ``app`` builds the application and its security (headers, limits, the token),
``api`` answers ``/api/...`` with JSON, ``pages`` renders the HTML pages from ``templates/``.
Both call the desk (``newsdesk.desk``), never the store or the pipeline directly.
"""

from newsdesk.serve.app import ServeConfig, create_app

__all__ = ["ServeConfig", "create_app"]
