"""Role grants: the only way a person gets or loses a role.

- ``services``: ask for a grant, approve, reject, revoke (and, at the console, the first access
  administrator and the carry-over of memberships older than grants) — each one transaction, no HTTP.
  They are the only code that writes ``User.groups``.
- ``notify``: who is told, by e-mail, when a sensitive role is asked for or granted.
- ``integrity``: the audit check that every role-group membership matches a grant in force.
- ``forms``, ``filters``, ``tables``, ``queries``: the access administrators' pages
  (``core.views.access_admin``).
"""
