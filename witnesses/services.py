"""services for the witnesses app."""
