"""views for the witnesses app."""
