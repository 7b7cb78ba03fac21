"""The official provider's own validators (its ``alicloud/validators.go``, not the SDK's).

Where the official schema uses them instead of ``helper/validation``, the texts differ in
one way: an error ends with a note about ``TF_SKIP_RESOURCE_SCHEMA_VALIDATION``, and with
that variable set to ``true`` the same finding is a warning without the note. The schemas
in this package use these exactly where the official ones do (resources use
``riconnect.terraform.plugin.validators`` where the official ones use the SDK's).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from riconnect.terraform.plugin import Validator
from riconnect.terraform.plugin.schema import Problems
from riconnect.terraform.plugin.validators import (
    int_in_slice as sdk_int_in_slice,
)
from riconnect.terraform.plugin.validators import (
    string_in_slice as sdk_string_in_slice,
)
from riconnect.terraform.plugin.validators import (
    string_len_between as sdk_string_len_between,
)

SKIP_VARIABLE = "TF_SKIP_RESOURCE_SCHEMA_VALIDATION"
NOTE = f"\n[NOTE] set env variable {SKIP_VARIABLE} to true can skip the error and get a warning"


def _noted(sdk: Validator) -> Validator:
    # The official messages are the SDK's plus " " and the note (Go: "... got %s %s").
    def check(value: Any, key: str) -> str | Problems | None:
        found = sdk(value, key)
        if not isinstance(found, str) or found.startswith("expected type of"):
            return found
        if os.environ.get(SKIP_VARIABLE) == "true":
            return Problems(warnings=(found,))
        return f"{found} {NOTE}"

    return check


def string_in_slice(valid: Iterable[str], ignore_case: bool = False) -> Validator:
    return _noted(sdk_string_in_slice(valid, ignore_case))


def int_in_slice(valid: Iterable[int]) -> Validator:
    return _noted(sdk_int_in_slice(valid))


def string_len_between(low: int, high: int) -> Validator:
    return _noted(sdk_string_len_between(low, high))
