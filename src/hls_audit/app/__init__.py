"""Use cases: one case study from its path to its report, and a portfolio of them."""
