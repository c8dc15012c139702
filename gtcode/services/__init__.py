"""Use cases, each in its own transaction, returning frozen domain data."""
