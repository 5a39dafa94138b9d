"""Navigation and panels of the prosecutions app."""
