"""The generic check families; `hls_audit.catalog` gathers them with the profiles."""
