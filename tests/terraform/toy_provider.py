"""A minimal provider ``toy``: the plugin framework's test subject and the benchmark floor.

Not product code: Terraform runs this file (``python -P .../toy_provider.py``, through the
launcher that ``setup_mirror(dir, TOY_PROVIDER, ...)`` writes), and ``bench/terraform.py``
measures it as the floor any provider on the framework pays. It imports nothing but
``riconnect.terraform.plugin``.

Without ``store_dir`` in the provider block it keeps nothing (the resource does no
work); with it, each ``toy_thing`` is a JSON file there, so tests can observe objects
"in the cloud" and drift. The store reaches the resource through ``configure``, as a
client reaches a real provider's resources.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    DataSource,
    Diagnostics,
    Map,
    Number,
    Provider,
    Resource,
    Schema,
    State,
    String,
    Timeouts,
    mark_unknown,
    run,
)
from riconnect.terraform.plugin.validators import int_between, string_match

TIMEOUTS = Timeouts(create=60)


NAME_RULE = "must start with a lowercase letter and hold only lowercase letters, digits and '-'"


class Store:
    """The toy's "cloud": one JSON file per toy_thing in ``directory`` (None: keep nothing)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    def load(self, id: str) -> State | None:
        if self.directory is None:
            return None
        path = self.directory / f"{id}.json"
        return json.loads(path.read_text()) if path.exists() else None

    def save(self, state: State) -> None:
        if self.directory is not None:
            tmp = self.directory / f".{state['id']}.tmp"
            tmp.write_text(json.dumps(state))
            os.replace(tmp, self.directory / f"{state['id']}.json")

    def remove(self, id: str) -> None:
        if self.directory is not None:
            (self.directory / f"{id}.json").unlink(missing_ok=True)


class Thing(Resource):
    type_name = "toy_thing"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute(
                    "name",
                    String,
                    required=True,
                    force_new=True,
                    validators=[string_match(r"^[a-z][a-z0-9-]*$", NAME_RULE)],
                ),
                Attribute("description", String, optional=True),
                Attribute("tags", Map(String), optional=True),
                Attribute(
                    "sleep_seconds",
                    Number,
                    optional=True,
                    description="Make create this slow (for Ctrl-C tests).",
                    integer=True,
                    validators=[int_between(0, 3600)],
                ),
                Attribute("fail_on_create", Bool, optional=True),
                Attribute("revision", Number, computed=True),
            ],
            blocks=[TIMEOUTS.block],
        )
    )

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self.store = Store(None)

    def configure(self, data: Any, diags: Diagnostics) -> None:
        if isinstance(data, Store):
            self.store = data

    def plan(
        self, prior: State | None, proposed: State, config: State, diags: Diagnostics
    ) -> State:
        planned = super().plan(prior, proposed, config, diags)
        if prior is not None and any(
            planned[k] != prior[k] for k in ("description", "tags", "sleep_seconds")
        ):
            mark_unknown(planned, "revision")  # update bumps it
        return planned

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        if planned["fail_on_create"]:
            raise RuntimeError("creation failed on purpose (fail_on_create = true)")
        state = {**planned, "id": f"thing-{secrets.token_hex(4)}", "revision": 1}
        # The object exists "in the cloud" before the slow part, like a real API.
        self.store.save(state)
        delay = float(planned["sleep_seconds"] or 0)
        timeout = TIMEOUTS.seconds(planned, "create")
        time.sleep(min(delay, timeout))
        if delay > timeout:
            diags.error(
                "Timeout while creating toy_thing",
                f"{state['id']} was not ready after {timeout:g} s.",
            )
        if self.provider.stopping:
            # Finish anyway: returning the state is what keeps the object in Terraform's state.
            diags.warning("Interrupted", f"{state['id']} was created while Terraform stopped.")
        return state

    def read(self, state: State, diags: Diagnostics) -> State | None:
        if self.store.directory is None:
            return state
        return self.store.load(state["id"])

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        state = {**planned, "revision": int(prior["revision"] or 0) + 1}
        self.store.save(state)
        return state

    def delete(self, prior: State, diags: Diagnostics) -> None:
        self.store.remove(prior["id"])

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        if self.store.directory is None:
            return {"id": id}
        return self.store.load(id)


class Echo(DataSource):
    type_name = "toy_echo"
    schema = Schema(
        Block(
            attributes=[
                Attribute("input", String, required=True),
                Attribute("upper", Bool, optional=True),
                Attribute("id", String, computed=True),
                Attribute("output", String, computed=True),
                Attribute("length", Number, computed=True),
            ]
        )
    )

    def read(self, config: State, diags: Diagnostics) -> State:
        text: Any = config["input"]
        output = text.upper() if config["upper"] else text
        return {**config, "id": text, "output": output, "length": len(text)}


class ToyProvider(Provider):
    type_name = "toy"
    resources = (Thing,)
    data_sources = (Echo,)
    schema = Schema(
        Block(
            attributes=[
                Attribute(
                    "store_dir",
                    String,
                    optional=True,
                    description="Directory holding one JSON file per toy_thing.",
                )
            ]
        )
    )

    def configure(self, config: State, diags: Diagnostics) -> Store:
        return Store(Path(config["store_dir"]) if config["store_dir"] else None)


def main() -> None:
    run(ToyProvider)


if __name__ == "__main__":
    main()
