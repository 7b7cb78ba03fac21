"""``examples/``: the example configurations."""
