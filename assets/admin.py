"""admin for the assets app."""
