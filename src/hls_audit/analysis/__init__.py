"""Facts computed once per audit: the evidence register and the money ledger."""
