"""``riconnect.terraform``: ``plugin/`` the protocol-6 framework (with the toy provider),
``alicloud/`` the provider end to end.
"""
