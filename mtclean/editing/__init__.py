"""Editing support shared by the review page and the language server."""
