"""admin for the trustfund app."""
