"""The formats each export writes: the one list the writers, the CLI's choices and the TUI's export dialog share
(this module imports nothing, so the CLI can load it at start)."""

GRAPH_FORMATS = ("graphml", "gexf", "dot", "mermaid", "svg", "png")
MODEL_FORMATS = ("yaml", "json", *GRAPH_FORMATS, "md")
TABLE_FORMATS = ("md", "csv", "xlsx", "tex")
CODEBOOK_FORMATS = ("yaml", "qdc", "md", "csv", "xlsx", "docx")
MEMO_FORMATS = ("md", "docx")
OPEN_CODING_FORMATS = ("md", "csv", "xlsx", "json")
