"""The API's views: reads and writes of the prosecutions side (cases, hearings, victims and witnesses by
code), the schema and its viewers; money-side views live in ``api.views.money*``."""
