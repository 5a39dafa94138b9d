"""tables for the trustfund app."""
