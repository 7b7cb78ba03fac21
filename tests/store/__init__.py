"""``riconnect.store``: the schema and its migrations; ``postgres/`` runs the PostgreSQL backend."""
