"""Models of the prosecutions app."""
