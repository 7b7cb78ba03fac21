"""``riconnect.service``: the service functions called in-process on an in-memory store with a
FakeClock.
"""
