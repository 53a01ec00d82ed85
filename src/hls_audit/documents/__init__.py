"""Evidence documents: text extraction, quote search, verification, the lock."""
