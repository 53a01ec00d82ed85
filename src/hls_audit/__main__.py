"""Entry point for ``python -m hls_audit``."""

from hls_audit.cli import main

main()
