"""choices for the prosecutions app."""
