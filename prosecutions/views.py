"""views for the prosecutions app."""
