"""Helpers shared by several test directories (``from tests.support.x import ...``); the suite's
pytest plugins.
"""
