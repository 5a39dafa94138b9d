"""choices for the witnesses app."""
