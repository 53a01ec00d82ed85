"""The checks, one module per family, and the catalogue of every rule's code."""
