"""tables for the prosecutions app."""
