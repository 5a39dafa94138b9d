"""Work that runs by itself: the schedule kept in code, background tasks and their record."""
