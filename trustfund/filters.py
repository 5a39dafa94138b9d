"""filters for the trustfund app."""
