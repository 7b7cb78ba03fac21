"""``riconnect.terraform.plugin`` and ``riconnect.terraform.install``: the framework, driven
directly and through the toy provider.
"""
