"""What every helper of :mod:`riconnect.testing` defaults to: the demo identity, its region,
and the API versions riconnect serves.

The demo account is the one a server started without an accounts file knows
(``riconnect serve`` with no ``--accounts``), so helpers that default to it work against any
such server.
"""

from __future__ import annotations

from riconnect.domain.accounts import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCOUNT_ID,
    DEMO_REGION_ID,
)

__all__ = [
    "DEFAULT_REGION",
    "DEMO_ACCESS_KEY_ID",
    "DEMO_ACCESS_KEY_SECRET",
    "DEMO_ACCOUNT_ID",
    "STS_VERSION",
    "VPC_VERSION",
]

DEFAULT_REGION = DEMO_REGION_ID  # "cn-hangzhou"
VPC_VERSION = "2016-04-28"
STS_VERSION = "2015-04-01"
