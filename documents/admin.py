"""Documents have no admin pages on purpose: a witness's papers are for liaisons only, and being a superuser
grants no such access. Documents are read, attached, superseded and withdrawn through the tracker's own pages,
which apply the record's access rules."""
