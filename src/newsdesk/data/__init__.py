"""The project's own data files (lexicons, knowledge base) and the loaders that validate them."""
