"""A small framework for Terraform providers written in Python (plugin protocol 6).

Provider code imports everything from here::

    from riconnect.terraform.plugin import (
        Attribute, Block, Diagnostics, NestedBlock, Nesting, Provider, Resource, Schema,
        String, Timeouts, run,
    )

A resource::

    TIMEOUTS = Timeouts(create=600, delete=300)

    class Vpc(Resource):
        type_name = "alicloud_vpc"
        schema = Schema(Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("cidr_block", String, required=True, force_new=True),
                Attribute("vpc_name", String, optional=True, computed=True),
            ],
            blocks=[TIMEOUTS.block],
        ))

        def configure(self, client, diags):  # what AliProvider.configure returned
            self.client = client

        def create(self, planned, diags):
            vpc_id = self.client.create_vpc(planned["cidr_block"],
                                            timeout=TIMEOUTS.seconds(planned, "create"))
            return self.read({**planned, "id": vpc_id}, diags)

        def read(self, state, diags):
            vpc = self.client.describe_vpc(state["id"])
            return None if vpc is None else {"id": vpc.id, "cidr_block": vpc.cidr,
                                             "vpc_name": vpc.name}

        def update(self, prior, planned, diags): ...
        def delete(self, prior, diags): ...

    class AliProvider(Provider):
        type_name = "alicloud"
        schema = Schema(Block(attributes=[Attribute("region", String, optional=True)]))
        resources = (Vpc,)

        def configure(self, config, diags):  # handed to each resource's configure
            return Client(region=config["region"])

    if __name__ == "__main__":
        run(AliProvider)

Only pure-Python modules are imported eagerly; gRPC, protobuf and cryptography load
inside :func:`serve` after the magic-cookie check, keeping start-up short.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import DataSource, Lazy, Provider, Resource
from .cty import (
    UNKNOWN,
    Bool,
    CtyType,
    List,
    Map,
    Number,
    Object,
    Set,
    State,
    String,
    Unknown,
    is_known,
    is_wholly_known,
)
from .diagnostics import Diagnostic, DiagnosticError, Diagnostics, Key, Path, Severity
from .durations import parse_duration
from .plan import mark_unknown
from .schema import Attribute, Block, NestedBlock, Nesting, Schema, Validator
from .timeouts import Timeouts


def serve(provider_factory: Callable[[], Provider]) -> None:
    """Run the plugin server for ``provider_factory()``; blocks until Terraform's Shutdown."""
    from .grpc_server import serve as _serve

    _serve(provider_factory)


def run(provider_factory: Callable[[], Provider]) -> None:
    """``serve`` and then exit the process at once (use in ``__main__``)."""
    from .grpc_server import run as _run

    _run(provider_factory)


__all__ = [
    "UNKNOWN",
    "Attribute",
    "Block",
    "Bool",
    "CtyType",
    "DataSource",
    "Diagnostic",
    "DiagnosticError",
    "Diagnostics",
    "Key",
    "Lazy",
    "List",
    "Map",
    "NestedBlock",
    "Nesting",
    "Number",
    "Object",
    "Path",
    "Provider",
    "Resource",
    "Schema",
    "Set",
    "Severity",
    "State",
    "String",
    "Timeouts",
    "Unknown",
    "Validator",
    "is_known",
    "is_wholly_known",
    "mark_unknown",
    "parse_duration",
    "run",
    "serve",
]
