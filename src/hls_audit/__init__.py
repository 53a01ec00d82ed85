"""hls-audit: audit the claims of a research-impact case study against its evidence."""

__version__ = "0.1.0"
