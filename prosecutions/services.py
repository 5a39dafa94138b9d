"""services for the prosecutions app."""
