"""Pure domain: levels, spans, the paradigm, relationships and statistics. No storage, no UI."""
