"""The document orders a saturation curve can follow (kept apart from the numerics so the CLI loads it cheaply)."""

CURVE_ORDERS = ("first-coding", "import", "sampling", "attribute:NAME")
"""first coding, import, the theoretical sampling log (wave, then collection date), or a document attribute."""
