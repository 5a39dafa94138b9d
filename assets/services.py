"""services for the assets app."""
