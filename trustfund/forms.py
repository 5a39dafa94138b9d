"""forms for the trustfund app."""
