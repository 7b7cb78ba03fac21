"""VPC service functions on an in-memory store with a FakeClock: no HTTP, no sleeping.

Timed transitions settle lazily: nothing moves until someone reads or writes the VPC at
or after its deadline, and a read that finds due work reruns as a write transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from riconnect.domain.clock import FakeClock
from riconnect.domain.entities import Vpc
from riconnect.domain.errors import ApiError
from riconnect.domain.transitions import Delays
from riconnect.service.context import Settings
from riconnect.store.db import Store
from riconnect.testing import InProcessService

ACCOUNT = "1234567890123456"
OTHER = "6543210987654321"
REGION = "cn-hangzhou"


class Cloud:
    """Calls service functions the way the app does: one ``execute`` per call, with the
    parameters as given (``riconnect.testing.InProcessService`` without table parsing)."""

    def __init__(self, store: Store, clock: FakeClock, settings: Settings) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.transactions: list[bool] = []  # the write flag of every transaction opened

        real = store.transaction

        def spy(write: bool, scopes: Any = None) -> Any:
            self.transactions.append(write)
            return real(write=write, scopes=scopes)

        store.transaction = spy  # type: ignore[method-assign]

    def call(
        self, action: str, account: str = ACCOUNT, region: str = REGION, **params: Any
    ) -> dict[str, Any]:
        service = InProcessService(self.store, self.clock, self.settings, account)
        return service.run(action, params, region, parse=False)

    def error(self, action: str, **params: Any) -> str:
        with pytest.raises(ApiError) as info:
            self.call(action, **params)
        return info.value.code

    def create(self, **params: Any) -> str:
        vpc_id: str = self.call("CreateVpc", **params)["VpcId"]
        return vpc_id

    def status(self, vpc_id: str) -> str:
        status: str = self.call("DescribeVpcAttribute", VpcId=vpc_id)["Status"]
        return status

    def listed(self, **params: Any) -> dict[str, str]:
        body = self.call("DescribeVpcs", PageSize=50, **params)
        return {v["VpcId"]: v["Status"] for v in body["Vpcs"]["Vpc"]}

    def rows(self, account: str = ACCOUNT) -> list[Vpc]:
        with self.store.transaction(write=False) as tx:
            return tx.find(Vpc, account, region_id=REGION)


@pytest.fixture
def make_cloud() -> Iterator[Any]:
    stores: list[Store] = []

    def make(delays: Delays | None = None, quota: int = 10) -> Cloud:
        store = Store(":memory:")
        stores.append(store)
        return Cloud(store, FakeClock(), Settings(delays=delays or Delays(), vpc_quota=quota))

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def cloud(make_cloud: Any) -> Cloud:
    cloud: Cloud = make_cloud()
    return cloud


# -- timed transitions ---------------------------------------------------------------------


def test_pending_settles_to_available_at_the_deadline(make_cloud: Any) -> None:
    cloud = make_cloud(Delays(vpc_create=5))
    vpc_id = cloud.create(VpcName="slow")
    assert cloud.status(vpc_id) == "Pending"
    cloud.clock.advance(4.999)
    assert cloud.status(vpc_id) == "Pending"
    assert cloud.listed() == {vpc_id: "Pending"}
    cloud.clock.advance(0.001)  # exactly the deadline
    assert cloud.status(vpc_id) == "Available"
    (row,) = cloud.rows()
    assert (row.status, row.target_status, row.settle_at) == ("Available", None, None)


def test_a_read_that_finds_a_due_transition_reruns_as_a_write(make_cloud: Any) -> None:
    cloud = make_cloud(Delays(vpc_create=5))
    vpc_id = cloud.create()
    cloud.transactions.clear()
    assert cloud.status(vpc_id) == "Pending"
    assert cloud.transactions == [False]  # nothing due: read-only

    cloud.clock.advance(5)
    cloud.transactions.clear()
    assert cloud.status(vpc_id) == "Available"
    assert cloud.transactions == [False, True]  # found due work, reran as a write

    cloud.transactions.clear()
    assert cloud.status(vpc_id) == "Available"
    assert cloud.transactions == [False]  # the settled state was stored


def test_a_list_settles_every_due_vpc(make_cloud: Any) -> None:
    cloud = make_cloud(Delays(vpc_create=5))
    first = cloud.create()
    cloud.clock.advance(3)
    second = cloud.create()
    cloud.clock.advance(2)
    cloud.transactions.clear()
    assert cloud.listed() == {first: "Available", second: "Pending"}
    assert cloud.transactions == [False, True]
    cloud.clock.advance(3)
    assert cloud.listed() == {first: "Available", second: "Available"}
    assert all(row.settle_at is None for row in cloud.rows())


def test_deleting_then_gone(make_cloud: Any) -> None:
    cloud = make_cloud(Delays(vpc_delete=3))
    vpc_id = cloud.create()
    kept = cloud.create()
    assert cloud.call("DeleteVpc", VpcId=vpc_id) == {}
    assert cloud.listed() == {vpc_id: "Deleting", kept: "Available"}
    cloud.clock.advance(2.5)
    assert cloud.listed() == {vpc_id: "Deleting", kept: "Available"}
    cloud.clock.advance(0.5)
    assert cloud.listed() == {kept: "Available"}
    assert [row.id for row in cloud.rows()] == [kept]  # the row itself is gone
    assert cloud.error("DescribeVpcAttribute", VpcId=vpc_id) == "InvalidVpcID.NotFound"
    assert cloud.error("DeleteVpc", VpcId=vpc_id) == "InvalidVpcID.NotFound"


def test_immediate_delete_is_gone_at_the_next_read(cloud: Cloud) -> None:
    vpc_id = cloud.create()
    cloud.call("DeleteVpc", VpcId=vpc_id)
    assert cloud.listed() == {}
    assert cloud.rows() == []


def test_pending_vpc_cannot_be_modified_or_deleted(make_cloud: Any) -> None:
    cloud = make_cloud(Delays(vpc_create=5))
    vpc_id = cloud.create()
    assert cloud.error("DeleteVpc", VpcId=vpc_id) == "IncorrectVpcStatus"
    assert cloud.error("ModifyVpcAttribute", VpcId=vpc_id, VpcName="x") == "IncorrectVpcStatus"
    cloud.clock.advance(5)
    cloud.call("ModifyVpcAttribute", VpcId=vpc_id, VpcName="x")
    cloud.call("DeleteVpc", VpcId=vpc_id)
    assert cloud.listed() == {}


def test_a_deleting_vpc_holds_its_quota_slot_until_gone(make_cloud: Any) -> None:
    cloud = make_cloud(Delays(vpc_delete=3), quota=1)
    vpc_id = cloud.create()
    assert cloud.error("CreateVpc") == "QuotaExceeded.Vpc"
    cloud.call("DeleteVpc", VpcId=vpc_id)
    assert cloud.error("CreateVpc") == "QuotaExceeded.Vpc"
    cloud.clock.advance(3)
    assert cloud.create() != vpc_id


def test_quota_is_per_account_and_region(make_cloud: Any) -> None:
    cloud = make_cloud(quota=1)
    cloud.create()
    assert cloud.error("CreateVpc") == "QuotaExceeded.Vpc"
    assert cloud.call("CreateVpc", region="cn-shanghai")["VpcId"]
    assert cloud.call("CreateVpc", account=OTHER)["VpcId"]


# -- CIDR rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cidr",
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "10.1.0.0/16",
        "172.16.8.0/28",
        "192.168.10.0/24",
        "47.100.0.0/16",  # a public range is allowed as a /16-/28 subnet
    ],
)
def test_cidr_accepted(cloud: Cloud, cidr: str) -> None:
    vpc_id = cloud.create(CidrBlock=cidr)
    assert cloud.call("DescribeVpcAttribute", VpcId=vpc_id)["CidrBlock"] == cidr


@pytest.mark.parametrize(
    "cidr",
    [
        "127.0.0.0/8",
        "127.0.0.0/16",
        "169.254.0.0/16",
        "100.64.0.0/16",
        "224.0.0.0/16",
        "240.0.0.0/16",
        "0.0.0.0/16",
        "0.0.0.0/0",
        "10.0.0.0/29",  # smaller than /28
        "10.0.0.0/30",
        "10.0.0.0/15",  # larger than /16 and not one of the three standard blocks
        "8.0.0.0/8",
        "10.0.0.1/16",  # host bits set
        "10.0.0.0/33",
        "nonsense",
        "10.0.0.0",  # no mask: a /32
        "fd00::/8",
    ],
)
def test_cidr_rejected(cloud: Cloud, cidr: str) -> None:
    assert cloud.error("CreateVpc", CidrBlock=cidr) == "InvalidCidrBlock.Malformed"
    assert cloud.rows() == []


def test_default_cidr(cloud: Cloud) -> None:
    vpc_id = cloud.create()
    assert cloud.call("DescribeVpcAttribute", VpcId=vpc_id)["CidrBlock"] == "172.16.0.0/12"


def test_cidr_grows_shrinks_and_switches_range(cloud: Cloud) -> None:
    # ModifyVpcAttribute: "a larger or smaller IPv4 CIDR block" (the API page); riconnect's
    # VPCs hold no addresses, so only the CIDR rules and the secondary blocks constrain it.
    vpc_id = cloud.create(CidrBlock="10.1.0.0/16")
    for cidr in ("10.1.0.0/24", "10.2.0.0/16", "10.0.0.0/8", "192.168.0.0/16"):
        cloud.call("ModifyVpcAttribute", VpcId=vpc_id, CidrBlock=cidr)
        assert cloud.call("DescribeVpcAttribute", VpcId=vpc_id)["CidrBlock"] == cidr
    assert (
        cloud.error("ModifyVpcAttribute", VpcId=vpc_id, CidrBlock="10.1.0.0/8")
        == "InvalidCidrBlock.Malformed"
    )
    cloud.call("AssociateVpcCidrBlock", VpcId=vpc_id, SecondaryCidrBlock="10.0.0.0/16")
    assert (
        cloud.error("ModifyVpcAttribute", VpcId=vpc_id, CidrBlock="10.0.0.0/8")
        == "InvalidCidrBlock.Overlapped"
    )


@pytest.mark.parametrize(
    ("user_cidr", "ok"),
    [
        ("10.0.0.0/8", True),
        ("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16", True),
        ("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,11.0.0.0/8", False),
        ("10.0.0.1/8", False),
        ("x", False),
    ],
)
def test_user_cidrs(cloud: Cloud, user_cidr: str, ok: bool) -> None:
    if ok:
        vpc_id = cloud.create(UserCidr=user_cidr)
        attr = cloud.call("DescribeVpcAttribute", VpcId=vpc_id)
        assert attr["UserCidrs"]["UserCidr"] == user_cidr.split(",")
    else:
        assert cloud.error("CreateVpc", UserCidr=user_cidr) == "InvalidUserCidr.Malformed"


# -- names, descriptions, tags ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("n" * 128, True),
        ("中文名字", True),
        ("n" * 129, False),
        ("http://x", False),
        ("Https://x", False),
        ("tab\there", False),
    ],
)
def test_vpc_name_rules(cloud: Cloud, name: str, ok: bool) -> None:
    if ok:
        assert (
            cloud.call("DescribeVpcAttribute", VpcId=cloud.create(VpcName=name))["VpcName"] == name
        )
    else:
        assert cloud.error("CreateVpc", VpcName=name) == "InvalidVpcName.Malformed"


@pytest.mark.parametrize(
    "tags",
    [
        [("k", "v")] * 2,  # duplicate key
        [(f"k{i}", "v") for i in range(21)],
        [("aliyun-reserved", "v")],
        [("acs:x", "v")],
        [("k", "see http://x")],
        [("", "v")],
        [("k" * 129, "v")],
    ],
)
def test_bad_tags(cloud: Cloud, tags: list[tuple[str, str]]) -> None:
    assert cloud.error("CreateVpc", Tag=tags) == "InvalidTag.Malformed"


def test_twenty_tags_and_tag_filters(cloud: Cloud) -> None:
    tags = [(f"k{i}", f"v{i}") for i in range(20)]
    tagged = cloud.create(Tag=tags)
    other = cloud.create(Tag=[("k0", "different")])
    assert set(cloud.listed(Tag=[("k0", "v0")])) == {tagged}
    assert set(cloud.listed(Tag=[("k0", "")])) == {tagged, other}  # key only
    assert set(cloud.listed(Tag=[("k0", "v0"), ("k1", "v1")])) == {tagged}
    assert cloud.listed(Tag=[("k0", "v0"), ("k1", "nope")]) == {}


# -- DescribeVpcs -------------------------------------------------------------------------


def test_paging_is_in_creation_order(cloud: Cloud) -> None:
    made = []
    for _ in range(5):
        made.append(cloud.create())
        cloud.clock.advance(1)
    pages = [
        cloud.call("DescribeVpcs", PageSize=2, PageNumber=n)["Vpcs"]["Vpc"] for n in (1, 2, 3, 4)
    ]
    assert [[v["VpcId"] for v in page] for page in pages] == [
        made[0:2],
        made[2:4],
        made[4:5],
        [],
    ]
    assert cloud.call("DescribeVpcs", PageSize=2)["TotalCount"] == 5


def test_filters(cloud: Cloud) -> None:
    a = cloud.create(VpcName="alpha", EnableIpv6=True)
    b = cloud.create(VpcName="beta")
    assert set(cloud.listed(VpcId=f" {a} , {b} ,")) == {a, b}
    assert set(cloud.listed(VpcName="alpha")) == {a}
    assert set(cloud.listed(EnableIpv6=True)) == {a}
    assert set(cloud.listed(EnableIpv6=False)) == {b}
    assert set(cloud.listed(IsDefault=False)) == {a, b}
    assert cloud.listed(IsDefault=True) == {}
    assert set(cloud.listed(VpcOwnerId=int(ACCOUNT))) == {a, b}
    assert cloud.listed(VpcOwnerId=int(OTHER)) == {}
    ids = ",".join(f"vpc-{i}" for i in range(21))
    assert cloud.error("DescribeVpcs", VpcId=ids) == "InvalidParameter"


def test_accounts_are_isolated(cloud: Cloud) -> None:
    vpc_id = cloud.create()
    assert cloud.call("DescribeVpcs", account=OTHER)["TotalCount"] == 0
    with pytest.raises(ApiError) as info:
        cloud.call("DescribeVpcAttribute", account=OTHER, VpcId=vpc_id)
    assert info.value.code == "InvalidVpcID.NotFound"
    with pytest.raises(ApiError):
        cloud.call("DeleteVpc", account=OTHER, VpcId=vpc_id)
    assert cloud.listed() == {vpc_id: "Available"}


# -- idempotency and DryRun -----------------------------------------------------------------


def test_client_token(cloud: Cloud) -> None:
    first = cloud.call("CreateVpc", VpcName="n", ClientToken="t1")
    assert cloud.call("CreateVpc", VpcName="n", ClientToken="t1") == first
    assert len(cloud.rows()) == 1
    assert cloud.error("CreateVpc", VpcName="m", ClientToken="t1") == "IdempotentParameterMismatch"
    # The same token from another account is another token.
    assert cloud.call("CreateVpc", account=OTHER, VpcName="n", ClientToken="t1") != first


def test_dry_run_changes_nothing(cloud: Cloud) -> None:
    assert cloud.error("CreateVpc", DryRun=True, ClientToken="t") == "DryRunOperation"
    assert cloud.rows() == []
    # The token was not used up by the dry run.
    vpc_id = cloud.create(ClientToken="t")
    assert cloud.error("DeleteVpc", VpcId=vpc_id, DryRun=True) == "DryRunOperation"
    assert cloud.listed() == {vpc_id: "Available"}


def test_modify_changes_only_what_is_given(cloud: Cloud) -> None:
    vpc_id = cloud.create(VpcName="n", Description="d", EnableDnsHostname=True)
    cloud.call("ModifyVpcAttribute", VpcId=vpc_id, Description="new")
    attr = cloud.call("DescribeVpcAttribute", VpcId=vpc_id)
    assert (attr["VpcName"], attr["Description"], attr["DnsHostnameStatus"]) == (
        "n",
        "new",
        "ENABLED",
    )
    cloud.call("ModifyVpcAttribute", VpcId=vpc_id, EnableDnsHostname=False)
    assert cloud.call("DescribeVpcAttribute", VpcId=vpc_id)["DnsHostnameStatus"] == "DISABLED"
