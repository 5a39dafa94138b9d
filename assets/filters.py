"""filters for the assets app."""
