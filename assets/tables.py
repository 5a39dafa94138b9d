"""tables for the assets app."""
