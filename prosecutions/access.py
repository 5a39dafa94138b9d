"""access for the prosecutions app."""
