"""examples/seed/main.tf is the example of the provider's documentation for
alicloud_router_interface_connection, verbatim
(https://registry.terraform.io/providers/aliyun/alicloud/latest/docs/resources/router_interface_connection),
and ``riconnect demo`` applies the same file: an installed riconnect carries it as package
data (src/riconnect/examples/seed/main.tf)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_ships_the_seed_example_unchanged() -> None:
    from riconnect.demo import seed_text

    assert seed_text() == (ROOT / "examples" / "seed" / "main.tf").read_text(encoding="utf-8")


def test_the_seed_example_is_the_documented_one() -> None:
    text = (ROOT / "examples" / "seed" / "main.tf").read_text(encoding="utf-8")
    # Landmarks of the documented example (it is applied unchanged by the demo and the
    # Terraform tests, so its meaning is tested there).
    for landmark in (
        'default = "alicloudRouterInterfaceConnectionBasic"',
        'resource "alicloud_router_interface_connection" "foo"',
        "depends_on            = [alicloud_router_interface_connection.bar]",
        'specification        = "Large.2"',
    ):
        assert landmark in text


# The specification the project was founded on sits beside a checkout as the seed document
# (the provider documentation's page); where it is present, the example is compared to it
# character for character.
SEED_DOC = ROOT.parent / "shared" / "seed" / "alicloud_router_interface_connection.md"


def test_the_seed_example_is_the_seed_documents_verbatim() -> None:
    import re

    import pytest

    if not SEED_DOC.exists():
        pytest.skip(f"the seed document is not beside the project ({SEED_DOC})")
    match = re.search(r"```terraform\n(.*?)```", SEED_DOC.read_text(), re.DOTALL)
    assert match is not None, "the seed document has no terraform example"
    assert (ROOT / "examples" / "seed" / "main.tf").read_text() == match.group(1)
