"""views for the trustfund app."""
