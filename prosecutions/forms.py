"""forms for the prosecutions app."""
