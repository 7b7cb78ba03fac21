"""Plan semantics shared by every resource: defaults, unknowns and replacement.

:meth:`Resource.plan` and :meth:`Resource.requires_replace` call these; a resource that
overrides them calls ``super()`` first and adjusts the result (e.g. :func:`mark_unknown`).
"""

from __future__ import annotations

import copy
from typing import Any

from .cty import UNKNOWN, State, String
from .diagnostics import Path
from .schema import Block, Nesting


def mark_unknown(planned: State, *names: str) -> State:
    """Mark attributes as "known after apply" (announces a value the apply will change)."""
    for name in names:
        planned[name] = UNKNOWN
    return planned


def default_plan(block: Block, prior: State | None, proposed: State, config: State) -> State:
    planned = copy.deepcopy(proposed)
    _suppress(block, prior, planned)
    _plan_block(block, prior, planned, config, creating=prior is None)
    return planned


def _suppress(block: Block, prior: State | None, planned: State) -> None:
    """The Go SDK v1's DiffSuppressFunc (top-level attributes): a suppressed change is
    dropped from the diff, so the attribute plans its prior value, on create too (where
    the SDK's diff.Apply leaves it null, or "" for a required string)."""
    values = dict(planned)  # every predicate sees the same, unsuppressed values
    for attr in block.attributes:
        if attr.diff_suppress is None or not attr.diff_suppress(values):
            continue
        if prior is not None:
            planned[attr.name] = copy.deepcopy(prior.get(attr.name))
        else:
            planned[attr.name] = "" if attr.required and attr.type == String else None


def _plan_block(
    block: Block, prior: State | None, planned: State, config: State | None, *, creating: bool
) -> None:
    for attr in block.attributes:
        if attr.default is not None and (config or {}).get(attr.name) is None:
            # Config null: the default wins, even over a value carried from prior state.
            planned[attr.name] = copy.deepcopy(attr.default)
        elif creating and attr.computed and planned.get(attr.name) is None:
            planned[attr.name] = UNKNOWN
    for nb in block.blocks:
        new = planned.get(nb.name)
        old = (prior or {}).get(nb.name)
        cfg = (config or {}).get(nb.name)
        if new is None or new is UNKNOWN:
            continue
        if nb.nesting is Nesting.SINGLE:
            _plan_block(nb.block, old, new, cfg, creating=creating or old is None)
        elif nb.nesting is Nesting.LIST:
            for i, element in enumerate(new):
                if not isinstance(element, dict):
                    continue
                old_el = old[i] if isinstance(old, list) and i < len(old) else None
                cfg_el = cfg[i] if isinstance(cfg, list) and i < len(cfg) else None
                _plan_block(nb.block, old_el, element, cfg_el, creating=creating or old_el is None)
        elif nb.nesting is Nesting.SET:
            # Set elements cannot be paired with config; an element equal to a prior one
            # is unchanged, any other is new.
            for element in new:
                if isinstance(element, dict):
                    known = isinstance(old, list) and element in old
                    _plan_block(nb.block, None, element, element, creating=not known)
        else:
            for key, element in new.items():
                old_el = old.get(key) if isinstance(old, dict) else None
                cfg_el = cfg.get(key) if isinstance(cfg, dict) else None
                _plan_block(nb.block, old_el, element, cfg_el, creating=creating or old_el is None)


def force_new_changes(
    block: Block, prior: State | None, planned: State | None, config: State | None = None
) -> list[Path]:
    """Paths of changed force_new attributes (or force_new blocks).

    An UNKNOWN planned value counts as a change only when the configuration itself is
    unknown there (an expression not known yet, which will most likely differ, as in
    Terraform's Go SDKs); an UNKNOWN the provider's plan introduced for a computed value
    does not replace anything. Computed-only attributes are ignored: users cannot set them.
    """
    return _force_new(block, prior or {}, planned or {}, config or {}, ())


def _has_force_new(block: Block) -> bool:
    return any(a.force_new for a in block.attributes) or any(
        b.force_new or _has_force_new(b.block) for b in block.blocks
    )


def _force_new(block: Block, prior: State, planned: State, config: Any, path: Path) -> list[Path]:
    cfg: dict[str, Any] = config if isinstance(config, dict) else {}
    paths: list[Path] = []
    for attr in block.attributes:
        if not attr.force_new or not (attr.required or attr.optional):
            continue
        old, new = prior.get(attr.name), planned.get(attr.name)
        if old == new or (new is UNKNOWN and cfg.get(attr.name) is not UNKNOWN):
            continue
        paths.append((*path, attr.name))
    for nb in block.blocks:
        old, new, sub = prior.get(nb.name), planned.get(nb.name), cfg.get(nb.name)
        if old == new or not (nb.force_new or _has_force_new(nb.block)):
            continue
        here = (*path, nb.name)
        if nb.force_new or old is None or new is None or new is UNKNOWN:
            paths.append(here)
        elif nb.nesting is Nesting.SINGLE:
            paths.extend(_force_new(nb.block, old, new, sub, here))
        elif nb.nesting is Nesting.LIST and len(old) == len(new):
            for i, (o, n) in enumerate(zip(old, new, strict=True)):
                c = sub[i] if isinstance(sub, list) and i < len(sub) else None
                if isinstance(o, dict) and isinstance(n, dict):
                    paths.extend(_force_new(nb.block, o, n, c, (*here, i)))
                elif o != n:
                    paths.append((*here, i))
        else:
            # Sets, maps and resized lists: element identity is not stable, replace.
            paths.append(here)
    return paths
