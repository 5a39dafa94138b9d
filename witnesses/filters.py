"""filters for the witnesses app."""
