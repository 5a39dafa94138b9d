"""Models of the trustfund app."""
