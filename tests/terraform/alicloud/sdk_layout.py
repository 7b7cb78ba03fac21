"""What the official SDK sends for each action, read from its generated code: the API
version and the parameters of the query and of the form body, in the order the SDK adds
them.  The lean client's table (riconnect/terraform/alicloud/openapi_actions.py) must equal
this for every action it lists (tests/terraform/alicloud/test_openapi_client.py).

``python -m tests.terraform.alicloud.sdk_layout`` prints the table for the actions the
provider uses, to paste after an SDK upgrade."""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from typing import Any

_QUERY = re.compile(r"^\s+(query|body)\['(\w+)'\] = request\.\w+$", re.M)
_PARAMS = re.compile(r"action = '(\w+)',\s+version = '([\d-]+)',.*?req_body_type = '(\w+)'", re.S)


def _snake(action: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


def layout(module: str, action: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(version, query names, body names) of one action of an SDK client module."""
    client: Any = importlib.import_module(module).Client
    source = inspect.getsource(getattr(client, f"{_snake(action)}_with_options"))
    found = _PARAMS.search(source)
    assert found and found.group(1) == action, (module, action)
    assert found.group(3) == "formData", (action, found.group(3))
    query: list[str] = []
    body: list[str] = []
    for where, name in _QUERY.findall(source):
        target = query if where == "query" else body
        if name not in target:
            target.append(name)
    return found.group(2), tuple(query), tuple(body)


def table(actions: dict[str, list[str]]) -> dict[tuple[str, str], Any]:
    modules = {"Vpc": "alibabacloud_vpc20160428.client", "Sts": "alibabacloud_sts20150401.client"}
    return {
        (product, action): layout(modules[product], action)
        for product, names in actions.items()
        for action in names
    }


def render(found: dict[tuple[str, str], Any]) -> str:
    """The entries of openapi_actions._TABLE, one per action."""
    lines = []
    for (product, action), (version, query, body) in found.items():
        lines.append(
            f'    ("{product}", "{action}"): ("{version}", "{" ".join(query)}", "{" ".join(body)}"),'
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from riconnect.terraform.alicloud.openapi_actions import ACTIONS

    wanted: dict[str, list[str]] = {}
    for product, action in ACTIONS:
        wanted.setdefault(product, []).append(action)
    sys.stdout.write(render(table(wanted)))
