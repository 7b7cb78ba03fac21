"""The ``riconnect`` command, run as a user runs it."""
