"""forms for the assets app."""
