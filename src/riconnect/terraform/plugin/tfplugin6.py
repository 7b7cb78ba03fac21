"""Terraform plugin protocol 6.0 (``tfplugin6.Provider``), the protobuf side only.

Everything protocol-specific lives here: message classes, schema encoding and the RPC
table. Semantics are in :mod:`.engine`, so protocol 5 would be a sibling module of the
same shape built on ``tfplugin5_2_pb2`` (only one minor per major can be imported).
"""

from __future__ import annotations

import json
from typing import Any

import grpc
from tfplugin_proto import tfplugin6_0_pb2 as pb

from . import schema_cache
from .codec import decode_dynamic, encode_msgpack, null_object
from .cty import ObjectType
from .diagnostics import Diagnostic, Diagnostics, Key, Path, Severity
from .engine import Engine
from .log import get_logger
from .schema import Attribute, Block, NestedBlock, Nesting, Schema

VERSION = 6
SERVICE = "tfplugin6.Provider"

log = get_logger("protocol6")

_NESTING = {
    Nesting.SINGLE: pb.Schema.NestedBlock.SINGLE,
    Nesting.LIST: pb.Schema.NestedBlock.LIST,
    Nesting.SET: pb.Schema.NestedBlock.SET,
    Nesting.MAP: pb.Schema.NestedBlock.MAP,
}

# -- schema -----------------------------------------------------------------------------


def encode_schema(schema: Schema) -> Any:
    return pb.Schema(version=schema.version, block=encode_block(schema.block))


def encode_block(block: Block) -> Any:
    return pb.Schema.Block(
        attributes=[encode_attribute(a) for a in block.attributes],
        block_types=[encode_nested_block(b) for b in block.blocks],
        description=block.description,
        description_kind=pb.PLAIN,
        deprecated=block.deprecated,
    )


def encode_attribute(attr: Attribute) -> Any:
    return pb.Schema.Attribute(
        name=attr.name,
        type=json.dumps(attr.type.to_json(), separators=(",", ":")).encode(),
        description=attr.description,
        description_kind=pb.PLAIN,
        required=attr.required,
        optional=attr.optional,
        computed=attr.wire_computed,
        sensitive=attr.sensitive,
        deprecated=bool(attr.deprecated),
    )


def encode_nested_block(nb: NestedBlock) -> Any:
    return pb.Schema.NestedBlock(
        type_name=nb.name,
        block=encode_block(nb.block),
        nesting=_NESTING[nb.nesting],
        min_items=nb.min_items,
        max_items=nb.max_items,
    )


# -- values and diagnostics ---------------------------------------------------------------


def _decode(dv: Any, ty: ObjectType) -> Any:
    return decode_dynamic(dv.msgpack, dv.json, ty)


def _dynamic(value: Any, ty: ObjectType) -> Any:
    return pb.DynamicValue(msgpack=encode_msgpack(value, ty))


def encode_path(path: Path) -> Any:
    steps = []
    for step in path:
        if isinstance(step, Key):
            steps.append(pb.AttributePath.Step(element_key_string=step.value))
        elif isinstance(step, int):
            steps.append(pb.AttributePath.Step(element_key_int=step))
        else:
            steps.append(pb.AttributePath.Step(attribute_name=step))
    return pb.AttributePath(steps=steps)


def encode_diagnostic(d: Diagnostic) -> Any:
    severity = pb.Diagnostic.ERROR if d.severity is Severity.ERROR else pb.Diagnostic.WARNING
    msg = pb.Diagnostic(severity=severity, summary=d.summary, detail=d.detail)
    if d.path:
        msg.attribute.CopyFrom(encode_path(d.path))
    return msg


# -- the service ------------------------------------------------------------------------


class Servicer:
    """One method per RPC: ``(request, diags) -> response``; see :func:`generic_handler`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def GetProviderSchema(self, req: Any, diags: Diagnostics) -> Any:
        e = self.engine
        # provider_meta stays unset: a Schema without a block crashes Terraform.
        return pb.GetProviderSchema.Response(
            provider=encode_schema(e.provider.schema),
            resource_schemas={n: encode_schema(e.resource(n).schema) for n in e.resource_names},
            data_source_schemas={
                n: encode_schema(e.data_source(n).schema) for n in e.data_source_names
            },
        )

    def ValidateProviderConfig(self, req: Any, diags: Diagnostics) -> Any:
        config = _decode(req.config, self.engine.provider_type)
        self.engine.validate_provider(config, diags)
        return pb.ValidateProviderConfig.Response()

    def ValidateResourceConfig(self, req: Any, diags: Diagnostics) -> Any:
        config = _decode(req.config, self.engine.resource_type(req.type_name))
        self.engine.validate_resource(req.type_name, config, diags)
        return pb.ValidateResourceConfig.Response()

    def ValidateDataResourceConfig(self, req: Any, diags: Diagnostics) -> Any:
        config = _decode(req.config, self.engine.data_source_type(req.type_name))
        self.engine.validate_data_source(req.type_name, config, diags)
        return pb.ValidateDataResourceConfig.Response()

    def UpgradeResourceState(self, req: Any, diags: Diagnostics) -> Any:
        ty = self.engine.resource_type(req.type_name)
        if not req.raw_state.json and req.raw_state.flatmap:
            diags.error(
                "Unsupported state format",
                "This state was written by Terraform 0.11 or older (flatmap); "
                "upgrade it with Terraform 0.12 first.",
            )
            return pb.UpgradeResourceState.Response()
        state = self.engine.upgrade_state(req.type_name, req.version, req.raw_state.json, diags)
        return pb.UpgradeResourceState.Response(upgraded_state=_dynamic(state, ty))

    def ConfigureProvider(self, req: Any, diags: Diagnostics) -> Any:
        config = _decode(req.config, self.engine.provider_type)
        self.engine.configure(req.terraform_version, config, diags)
        return pb.ConfigureProvider.Response()

    def ReadResource(self, req: Any, diags: Diagnostics) -> Any:
        ty = self.engine.resource_type(req.type_name)
        state = _decode(req.current_state, ty)
        new = self.engine.read_resource(req.type_name, state, diags)
        return pb.ReadResource.Response(new_state=_dynamic(new, ty), private=req.private)

    def PlanResourceChange(self, req: Any, diags: Diagnostics) -> Any:
        ty = self.engine.resource_type(req.type_name)
        result = self.engine.plan(
            req.type_name,
            _decode(req.prior_state, ty),
            _decode(req.proposed_new_state, ty),
            _decode(req.config, ty),
            diags,
        )
        return pb.PlanResourceChange.Response(
            planned_state=_dynamic(result.planned, ty),
            requires_replace=[encode_path(p) for p in result.requires_replace],
            planned_private=req.prior_private,
        )

    def ApplyResourceChange(self, req: Any, diags: Diagnostics) -> Any:
        ty = self.engine.resource_type(req.type_name)
        new = self.engine.apply(
            req.type_name, _decode(req.prior_state, ty), _decode(req.planned_state, ty), diags
        )
        return pb.ApplyResourceChange.Response(
            new_state=_dynamic(new, ty), private=req.planned_private
        )

    def ImportResourceState(self, req: Any, diags: Diagnostics) -> Any:
        ty = self.engine.resource_type(req.type_name)
        states = self.engine.import_(req.type_name, req.id, diags)
        return pb.ImportResourceState.Response(
            imported_resources=[
                pb.ImportResourceState.ImportedResource(
                    type_name=req.type_name, state=_dynamic(s, ty)
                )
                for s in states
            ]
        )

    def ReadDataSource(self, req: Any, diags: Diagnostics) -> Any:
        ty = self.engine.data_source_type(req.type_name)
        config = _decode(req.config, ty)
        state = self.engine.read_data_source(req.type_name, config, diags)
        return pb.ReadDataSource.Response(state=_dynamic(state, ty))

    def StopProvider(self, req: Any, diags: Diagnostics) -> Any:
        self.engine.stop()
        return pb.StopProvider.Response()

    # -- fallbacks when a method itself raised ----------------------------------------------

    def fallback(self, method: str, req: Any) -> Any:
        response = getattr(pb, method).Response()
        if method == "ReadDataSource":
            # Terraform needs a full object even alongside an error.
            try:
                ty = self.engine.data_source_type(req.type_name)
                response.state.CopyFrom(_dynamic(null_object(ty), ty))
            except Exception:
                log.debug("no fallback object for %s", req.type_name, exc_info=True)
        return response


METHODS = (
    "GetProviderSchema",
    "ValidateProviderConfig",
    "ValidateResourceConfig",
    "ValidateDataResourceConfig",
    "UpgradeResourceState",
    "ConfigureProvider",
    "ReadResource",
    "PlanResourceChange",
    "ApplyResourceChange",
    "ImportResourceState",
    "ReadDataSource",
    "StopProvider",
)


def call(servicer: Servicer, method: str, request: Any) -> Any:
    """Run one RPC; any exception becomes an ERROR diagnostic on the response."""
    diags = Diagnostics()
    try:
        response = getattr(servicer, method)(request, diags)
    except Exception as exc:
        log.error("%s failed", method, exc_info=True)
        diags.add_exception(exc)
        response = servicer.fallback(method, request)
    if method == "StopProvider":
        if diags.has_errors:
            response.Error = "; ".join(d.summary for d in diags)
    else:
        response.diagnostics.extend(encode_diagnostic(d) for d in diags)
    return response


def schema_answer(servicer: Servicer, request: Any) -> bytes:
    """GetProviderSchema, encoded: kept on disk for a provider with ``schema_sources``."""

    def build() -> tuple[bytes, bool]:
        response = call(servicer, "GetProviderSchema", request)
        return response.SerializeToString(), not response.diagnostics

    return schema_cache.answer(servicer.engine.provider, VERSION, build)


def _unary(servicer: Servicer, method: str) -> grpc.RpcMethodHandler:
    messages = getattr(pb, method)
    if method == "GetProviderSchema":

        def schema(request: Any, context: grpc.ServicerContext) -> bytes:
            log.debug("%s", method)
            return schema_answer(servicer, request)

        # The answer is bytes already (possibly kept from an earlier process).
        return grpc.unary_unary_rpc_method_handler(
            schema, request_deserializer=messages.Request.FromString
        )

    def handler(request: Any, context: grpc.ServicerContext) -> Any:
        log.debug("%s", method)
        return call(servicer, method, request)

    return grpc.unary_unary_rpc_method_handler(
        handler,
        request_deserializer=messages.Request.FromString,
        response_serializer=messages.Response.SerializeToString,
    )


def generic_handler(engine: Engine) -> grpc.GenericRpcHandler:
    servicer = Servicer(engine)
    handlers = {m: _unary(servicer, m) for m in METHODS}
    return grpc.method_handlers_generic_handler(SERVICE, handlers)
