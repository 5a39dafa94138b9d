"""admin for the witnesses app."""
