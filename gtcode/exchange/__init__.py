"""Exchange formats: native YAML models, REFI-QDA, tables and graphs."""
