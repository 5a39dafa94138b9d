"""access for the trustfund app."""
