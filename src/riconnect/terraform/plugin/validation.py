"""Validation of a configuration against its schema, as the Go plugin SDK v1 does it.

The one place where a validator's failure, a deprecated or removed argument, a computed-only
attribute set in configuration and the cross-attribute rules (ConflictsWith, ExactlyOneOf,
AtLeastOneOf, RequiredWith) become diagnostics. The texts and the order of the checks are
SDK v1.17.2's (helper/schema/schema.go ``validate``, ``validateType``,
``validatePrimitive``), so a configuration gets the same errors and warnings from this
framework as from a provider built on SDK v1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .cty import UNKNOWN, is_wholly_known
from .diagnostics import Diagnostics, Key, Path
from .gofmt import go_quote, go_value
from .schema import Attribute, Block, Nesting
from .validators import problems


def _flat_key(path: Path) -> str:
    # The SDK's flatmap key: list elements by index, e.g. "endpoint.0.ip".
    return ".".join(str(s.value if isinstance(s, Key) else s) for s in path)


def validate_block(
    block: Block,
    config: Mapping[str, Any] | None,
    diags: Diagnostics,
    path: Path = (),
    root: Mapping[str, Any] | None = None,
) -> None:
    """Validate a configuration as the Go plugin SDK v1 does (helper/schema/schema.go
    ``validate`` and ``validateType``), with its texts.

    Every problem is one diagnostic with only a summary, no detail and no attribute path,
    as SDK v1 sends them (Terraform shows it on the resource's block).
    """
    if not isinstance(config, Mapping):
        return
    top = config if root is None else root
    for attr in block.attributes:
        here = (*path, attr.name)
        warnings, errors = _validate_attribute(attr, config.get(attr.name), _flat_key(here), top)
        for warning in warnings:
            diags.warning(warning)
        for error in errors:
            diags.error(error)
    for nb in block.blocks:
        value = config.get(nb.name)
        here = (*path, nb.name)
        if value is None or value is UNKNOWN:
            continue
        if nb.nesting is Nesting.SINGLE:
            validate_block(nb.block, value, diags, here, top)
        elif nb.nesting in (Nesting.LIST, Nesting.SET):
            # Set elements have no stable address here; the SDK's is a hash of the element.
            for i, element in enumerate(value):
                validate_block(nb.block, element, diags, (*here, i), top)
        else:
            for key, element in value.items():
                validate_block(nb.block, element, diags, (*here, Key(key)), top)


def _validate_attribute(
    attr: Attribute, value: Any, key: str, root: Mapping[str, Any]
) -> tuple[list[str], list[str]]:
    """(warnings, errors) for one attribute, in the SDK's order of checks."""
    rule = _exactly_one_of(attr, key, root) or _at_least_one_of(attr, key, root)
    if rule:
        return [], [rule]
    if value is None:
        # A missing required argument is Terraform core's error, before any provider call.
        return [], []
    if attr.computed and not (attr.required or attr.optional):
        return [], [f"{go_quote(key)}: this field cannot be set"]
    rule = _required_with(attr, key, root)
    if rule:
        return [], [rule]
    deprecated = [f"{go_quote(key)}: [DEPRECATED] {attr.deprecated}"] if attr.deprecated else []
    if not is_wholly_known(value):
        return deprecated, []  # e.g. var.x during validate: its checks wait for the plan
    for other in attr.conflicts_with:
        found = _lookup(root, other)
        if found is not None and found is not UNKNOWN:
            return [], [f"{go_quote(key)}: conflicts with {other}"]
    warnings: list[str] = []
    errors: list[str] = []
    if attr.integer and isinstance(value, float):
        errors.append(f"{key}: must be a whole number, got {go_value(value)}")
    else:
        for validator in attr.validators:
            found_problems = problems(validator, value, key)
            warnings += found_problems.warnings
            errors += found_problems.errors
    warnings += deprecated
    if attr.removed:
        errors.append(f"{go_quote(key)}: [REMOVED] {attr.removed}")
    return warnings, errors


def _exactly_one_of(attr: Attribute, key: str, root: Mapping[str, Any]) -> str:
    if not attr.exactly_one_of:
        return ""
    keys = sorted({*attr.exactly_one_of, key})
    values = [_lookup(root, k) for k in keys]
    specified = [k for k, v in zip(keys, values, strict=True) if v is not None and v is not UNKNOWN]
    unknown = any(v is UNKNOWN for v in values)
    if not specified and not unknown:
        return f"{go_quote(key)}: one of `{','.join(keys)}` must be specified"
    if len(specified) > 1:
        return (
            f"{go_quote(key)}: only one of `{','.join(keys)}` can be specified, "
            f"but `{','.join(specified)}` were specified."
        )
    return ""


def _at_least_one_of(attr: Attribute, key: str, root: Mapping[str, Any]) -> str:
    if not attr.at_least_one_of:
        return ""
    keys = sorted({*attr.at_least_one_of, key})
    if any(_lookup(root, k) is not None for k in keys):
        return ""  # an unknown counts as set: a null would be caught at plan
    return f"{go_quote(key)}: one of `{','.join(keys)}` must be specified"


def _required_with(attr: Attribute, key: str, root: Mapping[str, Any]) -> str:
    if not attr.required_with:
        return ""
    keys = sorted({*attr.required_with, key})
    if all(_lookup(root, k) is not None for k in keys):
        return ""
    return f"{go_quote(key)}: all of `{','.join(keys)}` must be specified"


def _lookup(root: Mapping[str, Any], key: str) -> Any:
    """The configuration value at an SDK flat key ("name", "block.0.attr"), or None."""
    value: Any = root
    for step in key.split("."):
        if isinstance(value, Mapping):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value
