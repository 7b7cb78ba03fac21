"""``riconnect.testing``: the pytest plugin users load, and its helpers."""
