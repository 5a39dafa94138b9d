"""access for the witnesses app."""
