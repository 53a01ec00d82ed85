"""Parse a case study's narrative text: sections, money figures, citation markers."""
