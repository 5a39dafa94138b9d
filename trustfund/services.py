"""services for the trustfund app."""
