"""The audit: run the rules, stamp and suppress findings, build the report."""
