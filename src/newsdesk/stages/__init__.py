"""Pipeline stages: ingest and segment work on text; the others are spaCy components."""
