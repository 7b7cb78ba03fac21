"""The toy provider under the real Terraform 1.0.3, installed through the filesystem mirror."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.terraform.helpers import (
    TOY_ADDRESS,
    TOY_VERSION,
    ToyTerraform,
    assert_no_traceback,
    requires_terraform,
)
from tests.terraform.toy_provider import NAME_RULE

pytestmark = [pytest.mark.terraform, requires_terraform]

MakeTf = Callable[[str], ToyTerraform]

THING = """
resource "toy_thing" "a" {{
  name        = "{name}"
  description = "{description}"
  tags        = {{ env = "dev" }}
  timeouts {{
    create = "2m"
  }}
}}
"""


def stored(tf: ToyTerraform) -> dict[str, dict[str, object]]:
    if not tf.store.exists():
        return {}
    return {p.stem: json.loads(p.read_text()) for p in tf.store.glob("*.json")}


def test_init_writes_lock_file(toy_initialized: Path) -> None:
    lock = (toy_initialized / ".terraform.lock.hcl").read_text()
    assert f'provider "{TOY_ADDRESS}"' in lock
    assert f'version = "{TOY_VERSION}"' in lock
    assert '"h1:' in lock


def test_lifecycle(toy_tf: MakeTf) -> None:
    tf = toy_tf(THING.format(name="alpha", description="one"))

    result = tf.apply().check()
    assert "toy_thing.a: Creation complete" in result.stdout
    state = tf.resource("toy_thing.a")
    assert state["name"] == "alpha" and state["revision"] == 1
    assert state["timeouts"] == {"create": "2m"} and state["tags"] == {"env": "dev"}
    assert list(stored(tf)) == [state["id"]]

    # Nothing changed: plan is empty (exit code 0 with -detailed-exitcode).
    tf.plan("-detailed-exitcode").check(0)

    # In-place update; the computed revision was planned unknown and comes back bumped.
    tf.set_body(THING.format(name="alpha", description="two"))
    result = tf.plan("-detailed-exitcode").check(2)
    assert "will be updated in-place" in result.stdout
    assert "revision    = 1 -> (known after apply)" in result.stdout
    tf.apply().check()
    updated = tf.resource("toy_thing.a")
    assert updated["id"] == state["id"]
    assert updated["description"] == "two" and updated["revision"] == 2
    tf.plan("-detailed-exitcode").check(0)

    # ForceNew attribute: Terraform plans a replacement.
    tf.set_body(THING.format(name="beta", description="two"))
    result = tf.plan("-detailed-exitcode").check(2)
    assert "must be replaced" in result.stdout
    assert '~ name        = "alpha" -> "beta" # forces replacement' in result.stdout
    tf.apply().check()
    replaced = tf.resource("toy_thing.a")
    assert replaced["id"] != state["id"] and replaced["name"] == "beta"
    assert list(stored(tf)) == [replaced["id"]]

    result = tf.destroy().check()
    assert "Destroy complete! Resources: 1 destroyed." in result.stdout
    assert tf.resources() == {} and stored(tf) == {}


def test_object_gone_outside_terraform_is_planned_again(toy_tf: MakeTf) -> None:
    tf = toy_tf(THING.format(name="alpha", description="one"))
    tf.apply().check()
    for path in tf.store.glob("*.json"):
        path.unlink()
    result = tf.plan("-detailed-exitcode").check(2)
    assert "will be created" in result.stdout


def test_validation_error_shows_the_resource_block(toy_tf: MakeTf) -> None:
    tf = toy_tf(THING.format(name="Bad_Name", description="x"))
    result = tf.plan().check(1)
    # The Go plugin SDK v1's shape: a summary without an attribute path, which Terraform
    # shows on the resource's block.
    assert f"Error: invalid value for name ({NAME_RULE})" in result.stderr
    assert "with toy_thing.a," in result.stderr
    assert 'in resource "toy_thing" "a":' in result.stderr
    assert ': resource "toy_thing" "a" {' in result.stderr  # Terraform quotes the block line
    assert_no_traceback(result)


def test_exception_in_create_is_a_clean_error(toy_tf: MakeTf) -> None:
    tf = toy_tf('resource "toy_thing" "bad" {\n  name = "bad"\n  fail_on_create = true\n}\n')
    result = tf.apply().check(1)
    assert "Error: creation failed on purpose (fail_on_create = true)" in result.stderr
    assert "RuntimeError" in result.stderr
    assert_no_traceback(result)
    assert "toy_thing.bad" not in tf.resources()


def test_import(toy_tf: MakeTf) -> None:
    tf = toy_tf('resource "toy_thing" "imp" {\n  name = "imported"\n}\n')
    tf.store.mkdir()
    obj = {
        "id": "thing-feed",
        "name": "imported",
        "description": None,
        "tags": None,
        "sleep_seconds": None,
        "fail_on_create": None,
        "revision": 7,
        "timeouts": None,
    }
    (tf.store / "thing-feed.json").write_text(json.dumps(obj))

    result = tf.import_("toy_thing.imp", "thing-feed").check()
    assert "Import successful!" in result.stdout
    assert tf.resource("toy_thing.imp")["revision"] == 7
    tf.plan("-detailed-exitcode").check(0)

    tf.set_body(
        'resource "toy_thing" "imp" {\n  name = "imported"\n}\n'
        'resource "toy_thing" "other" {\n  name = "other"\n}\n'
    )
    missing = tf.import_("toy_thing.other", "thing-none").check(1)
    assert "Cannot import non-existent remote object" in missing.stderr
    assert_no_traceback(missing)


def test_data_source(toy_tf: MakeTf) -> None:
    tf = toy_tf(
        'data "toy_echo" "e" {\n  input = "hello"\n  upper = true\n}\n'
        'output "out" {\n  value = data.toy_echo.e.output\n}\n'
        'output "len" {\n  value = data.toy_echo.e.length\n}\n'
    )
    tf.apply().check()
    assert tf.output() == {"out": "HELLO", "len": 5}


def test_ctrl_c_during_slow_create_keeps_state_consistent(toy_tf: MakeTf) -> None:
    tf = toy_tf('resource "toy_thing" "slow" {\n  name = "slow"\n  sleep_seconds = 3\n}\n')
    proc = tf.popen("apply", "-no-color", "-input=false", "-auto-approve")
    try:
        # The toy writes its object at the start of create, then sleeps.
        deadline = time.monotonic() + 30
        while not list(tf.store.glob("*.json")):
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, "create never started"
            time.sleep(0.05)
        tf.interrupt(proc)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Interrupt received" in output
    assert "toy_thing.slow: Creation complete" in output, output
    [object_id] = [p.stem for p in tf.store.glob("*.json")]
    # The object that exists is the object in state: nothing orphaned.
    assert tf.resource("toy_thing.slow")["id"] == object_id
    assert "Traceback" not in output
