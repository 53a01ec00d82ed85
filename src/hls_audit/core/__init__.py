"""Values every layer shares: the claims.yaml model, money, coded errors, enums."""
