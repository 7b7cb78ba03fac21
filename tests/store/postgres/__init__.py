"""The PostgreSQL backend: several servers sharing one cloud (needs PostgreSQL's binaries)."""
