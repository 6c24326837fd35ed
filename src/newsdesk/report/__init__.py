"""Situation reports (Markdown, HTML) and Atom feeds of a store: what the desk publishes.

``report.py`` gathers and renders a report through Jinja2 templates (``templates/``), ``svg.py``
draws its map and timeline, ``feed.py`` writes the Atom feed of what is new since the last one.
"""

from newsdesk.report.report import Rendered, Report, build_report, markdown_escape, render_report

__all__ = ["Rendered", "Report", "build_report", "markdown_escape", "render_report"]
