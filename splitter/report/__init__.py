"""report: what the commands print — the analysis table, the migration and verification reports."""
