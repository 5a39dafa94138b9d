"""choices for the trustfund app."""
