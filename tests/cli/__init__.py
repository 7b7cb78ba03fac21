"""``riconnect`` the command (cli.py, commands/), run as a user runs it."""
