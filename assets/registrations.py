"""Navigation and panels of the assets app."""
