"""access for the assets app."""
