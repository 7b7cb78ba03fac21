"""``riconnect.api``: the gateway's steps (request, auth) and the ASGI app in-process."""
