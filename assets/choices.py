"""choices for the assets app."""
