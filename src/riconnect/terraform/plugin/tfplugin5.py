"""Terraform plugin protocol 5.2 (``tfplugin5.Provider``), on top of :mod:`.tfplugin6`.

Protocol 5.2 and 6.0 messages are wire-compatible: every field both have carries the same
number and type (tests/terraform/plugin/test_protocol5.py compares the descriptors). So a
5.2 call is decoded with the 6.0 message class, served by the 6.0 servicer and its answer
re-read as the 5.2 message, where the fields only protocol 5 has are set:

* ``PrepareProviderConfig.prepared_config``: the configuration as received (we prepare
  nothing; Terraform reads the field and must find a value there);
* ``legacy_type_system`` on plans and applies, for a provider that asks for it
  (:attr:`Provider.legacy_type_system`): Terraform then only logs plans and results that
  differ from the configuration, as for every provider built on the Go plugin SDK v1.
"""

from __future__ import annotations

from typing import Any

import grpc
from tfplugin_proto import tfplugin5_2_pb2 as pb5
from tfplugin_proto import tfplugin6_0_pb2 as pb6

from . import schema_cache, tfplugin6
from .engine import Engine
from .log import get_logger

VERSION = 5
SERVICE = "tfplugin5.Provider"

log = get_logger("protocol5")

# protocol 5 name -> protocol 6 name of the same call.
METHODS = {
    "GetSchema": "GetProviderSchema",
    "PrepareProviderConfig": "ValidateProviderConfig",
    "ValidateResourceTypeConfig": "ValidateResourceConfig",
    "ValidateDataSourceConfig": "ValidateDataResourceConfig",
    "UpgradeResourceState": "UpgradeResourceState",
    "Configure": "ConfigureProvider",
    "ReadResource": "ReadResource",
    "PlanResourceChange": "PlanResourceChange",
    "ApplyResourceChange": "ApplyResourceChange",
    "ImportResourceState": "ImportResourceState",
    "ReadDataSource": "ReadDataSource",
    "Stop": "StopProvider",
}

# protocol 5 name -> its message class (GetSchema's messages are called GetProviderSchema).
_MESSAGES = {
    name: getattr(pb5, "GetProviderSchema" if name == "GetSchema" else name) for name in METHODS
}


def serve_call(servicer: tfplugin6.Servicer, method: str, request: bytes) -> bytes:
    """One protocol-5 call, as bytes in and bytes out."""
    if method == "GetSchema":
        return schema_cache.answer(
            servicer.engine.provider, VERSION, lambda: _answer(servicer, method, request)
        )
    return _answer(servicer, method, request)[0]


def _answer(servicer: tfplugin6.Servicer, method: str, request: bytes) -> tuple[bytes, bool]:
    """The answer, and whether it holds no diagnostics."""
    v6 = METHODS[method]
    request6 = getattr(pb6, v6).Request.FromString(request)
    response6 = tfplugin6.call(servicer, v6, request6)
    response = _MESSAGES[method].Response.FromString(response6.SerializeToString())
    if method == "PrepareProviderConfig":
        response.prepared_config.ParseFromString(request6.config.SerializeToString())
    elif method in ("PlanResourceChange", "ApplyResourceChange"):
        response.legacy_type_system = servicer.engine.provider.legacy_type_system
    data: bytes = response.SerializeToString()
    return data, not response6.diagnostics


def _unary(servicer: tfplugin6.Servicer, method: str) -> grpc.RpcMethodHandler:
    def handler(request: bytes, context: grpc.ServicerContext) -> bytes:
        log.debug("%s", method)
        return serve_call(servicer, method, request)

    # Raw bytes both ways: serve_call does the (de)serializing.
    return grpc.unary_unary_rpc_method_handler(handler)


def generic_handler(engine: Engine) -> grpc.GenericRpcHandler:
    servicer = tfplugin6.Servicer(engine)
    handlers = {m: _unary(servicer, m) for m in METHODS}
    return grpc.method_handlers_generic_handler(SERVICE, handlers)


def response_class(method: str) -> Any:
    """The protocol-5 response message class of ``method`` (for tests and clients)."""
    return _MESSAGES[method].Response
