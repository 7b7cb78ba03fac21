"""The alicloud provider's ``endpoints`` keys that riconnect answers.

``riconnect terraform run``/``override`` point each of them at riconnect, and riconnect's
own provider accepts them all.  One key per product of the action table (``Vpc`` ->
``vpc``, ...; tests/terraform/test_override.py checks that none is missing) plus
``location``: the official provider asks the Location service for any product without an
endpoint, and that question must not leave the machine either.  Every key exists in the
official provider's schema since long before v1.285.0 (provider.go endpointsSchema), so
older releases under a user's version constraint accept the override too.
"""

from __future__ import annotations

ENDPOINT_KEYS = ("vpc", "ecs", "sts", "bssopenapi", "resourcemanager", "location")
