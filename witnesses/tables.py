"""tables for the witnesses app."""
