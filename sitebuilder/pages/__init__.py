"""Markdown for the guide site, rendered from the knowledge base (no MkDocs imports here)."""
