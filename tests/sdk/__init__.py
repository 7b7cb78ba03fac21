"""A live ``riconnect serve`` as clients see it: the official SDKs (and raw signed requests where
no SDK can say it) over HTTP, per resource or concern.
"""
