"""views for the assets app."""
