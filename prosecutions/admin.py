"""admin for the prosecutions app."""
