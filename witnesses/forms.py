"""forms for the witnesses app."""
