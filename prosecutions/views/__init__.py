"""Views of the prosecutions app, split by page family."""
