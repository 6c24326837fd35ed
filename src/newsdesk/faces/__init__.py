"""What users touch: the command line (later the API, web pages, exports). Nothing imports it."""
