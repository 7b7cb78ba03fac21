"""riconnect's own tests, laid out like ``src/riconnect``: one directory per layer or package (see
docs/architecture.md).
"""
