"""filters for the prosecutions app."""
