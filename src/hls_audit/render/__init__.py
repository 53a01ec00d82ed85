"""Renderers: plain text, Rich tables and JSON, all fed a finished report."""
