"""Accounts are isolated; a RAM user acts on its main account; STS says who is calling.

The server (``multi_account_cloud``, tests/conftest.py) loads an accounts file with two main
accounts, A and B, and a RAM user ``ops`` of A.  Another account's VPC must look exactly like
a VPC that does not exist: NotFound, never a permission error that would leak its existence.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aliyunsdkcore.request import CommonRequest

from riconnect.testing import (
    STS_VERSION,
    LiveCloud,
    acs_client,
    signed_request,
    sts_client,
    unique_name,
)


@pytest.fixture
def clients(make_sdk: Any, multi_account_cloud: LiveCloud, two_accounts: Any) -> dict[str, Any]:
    return {
        who: make_sdk(multi_account_cloud, ak=key.id, sk=key.secret)
        for who, key in (("a", two_accounts.a), ("b", two_accounts.b), ("ram", two_accounts.a_ram))
    }


def test_other_account_cannot_see_or_touch(clients: dict[str, Any], two_accounts: Any) -> None:
    a, b = clients["a"], clients["b"]
    name = unique_name("iso")
    vpc_id = a.create_vpc(VpcName=name, Description="A's")["VpcId"]

    listed = b.describe_vpcs(PageSize=50)
    assert vpc_id not in {v["VpcId"] for v in listed["Vpcs"]["Vpc"]}
    assert all(v["OwnerId"] == int(two_accounts.b_id) for v in listed["Vpcs"]["Vpc"])
    by_id = b.describe_vpcs(VpcId=vpc_id)
    assert by_id["TotalCount"] == 0 and by_id["Vpcs"]["Vpc"] == []
    assert b.describe_vpcs(VpcName=name)["Vpcs"]["Vpc"] == []

    answers = []
    for target in (vpc_id, "vpc-doesnotexist0000000000"):
        with b.raises("InvalidVpcID.NotFound", 404) as seen:
            b.describe_vpc(target)
        with b.raises("InvalidVpcID.NotFound", 404) as modified:
            b.modify_vpc(target, VpcName="stolen")
        with b.raises("InvalidVpcID.NotFound", 404) as deleted:
            b.delete_vpc(target)
        answers.append([c.server_message for c in (seen, modified, deleted)])
    # The same words for someone else's VPC as for no VPC at all.
    assert answers[0] == answers[1]

    attr = a.describe_vpc(vpc_id)
    assert attr["VpcName"] == name and attr["Description"] == "A's"
    assert attr["OwnerId"] == int(two_accounts.a_id)
    a.delete_vpc(vpc_id)


def test_other_account_vpc_does_not_count_against_quota_or_names(
    clients: dict[str, Any],
) -> None:
    a, b = clients["a"], clients["b"]
    name = unique_name("same-name")
    in_a = a.create_vpc(VpcName=name)["VpcId"]
    in_b = b.create_vpc(VpcName=name)["VpcId"]
    assert [v["VpcId"] for v in a.describe_vpcs(VpcName=name)["Vpcs"]["Vpc"]] == [in_a]
    assert [v["VpcId"] for v in b.describe_vpcs(VpcName=name)["Vpcs"]["Vpc"]] == [in_b]
    a.delete_vpc(in_a)
    b.delete_vpc(in_b)


def test_client_token_is_per_account(clients: dict[str, Any]) -> None:
    a, b = clients["a"], clients["b"]
    token = unique_name("token")
    name = unique_name("tok")
    in_a = a.create_vpc(VpcName=name, ClientToken=token)["VpcId"]
    in_b = b.create_vpc(VpcName=name, ClientToken=token)["VpcId"]
    assert in_a != in_b
    assert b.ids([in_b]) == {in_b}
    a.delete_vpc(in_a)
    b.delete_vpc(in_b)


def test_ram_user_acts_on_main_account(clients: dict[str, Any], two_accounts: Any) -> None:
    a, ram, b = clients["a"], clients["ram"], clients["b"]
    by_main = a.create_vpc(VpcName=unique_name("main"))["VpcId"]
    by_ram = ram.create_vpc(VpcName=unique_name("ram"))["VpcId"]

    # Both VPCs belong to account A, whoever created them.
    for client in (a, ram):
        assert client.ids([by_main, by_ram]) == {by_main, by_ram}
        for vpc_id in (by_main, by_ram):
            assert client.describe_vpc(vpc_id)["OwnerId"] == int(two_accounts.a_id)
    assert b.ids([by_main, by_ram]) == set()

    ram.modify_vpc(by_main, VpcName="renamed-by-ram")
    assert a.describe_vpc(by_main)["VpcName"] == "renamed-by-ram"
    ram.delete_vpc(by_main)
    a.delete_vpc(by_ram)
    assert a.ids([by_main, by_ram]) == set()


@pytest.mark.parametrize("algorithm", [None, "v2"])
def test_sts_get_caller_identity(
    multi_account_cloud: LiveCloud, two_accounts: Any, algorithm: str | None
) -> None:
    main = sts_client(
        multi_account_cloud, two_accounts.a.id, two_accounts.a.secret, algorithm
    ).get_caller_identity()
    assert main.status_code == 200
    assert main.body.account_id == two_accounts.a_id
    assert main.body.identity_type == "Account"
    assert main.body.arn == f"acs:ram::{two_accounts.a_id}:root"
    assert main.body.user_id == two_accounts.a_id
    assert main.body.request_id

    ram = sts_client(
        multi_account_cloud, two_accounts.a_ram.id, two_accounts.a_ram.secret, algorithm
    ).get_caller_identity()
    assert ram.body.account_id == two_accounts.a_id
    assert ram.body.identity_type == "RAMUser"
    assert ram.body.arn == f"acs:ram::{two_accounts.a_id}:user/{two_accounts.ram_user}"
    assert ram.body.user_id not in (two_accounts.a_id, two_accounts.b_id)
    assert ram.body.user_id.isdigit() and len(ram.body.user_id) == 16
    assert ram.body.principal_id == ram.body.user_id

    other = sts_client(
        multi_account_cloud, two_accounts.b.id, two_accounts.b.secret, algorithm
    ).get_caller_identity()
    assert other.body.account_id == two_accounts.b_id
    assert other.body.arn == f"acs:ram::{two_accounts.b_id}:root"


def test_sts_through_core(multi_account_cloud: LiveCloud, two_accounts: Any) -> None:
    client = acs_client(
        multi_account_cloud, "cn-hangzhou", two_accounts.a_ram.id, two_accounts.a_ram.secret
    )
    request = CommonRequest(
        domain=multi_account_cloud.endpoint, version=STS_VERSION, action_name="GetCallerIdentity"
    )
    request.set_method("POST")
    body = json.loads(client.do_action_with_exception(request))
    assert body["AccountId"] == two_accounts.a_id
    assert body["IdentityType"] == "RAMUser"


def test_demo_account_is_not_loaded_with_an_accounts_file(multi_account_cloud: LiveCloud) -> None:
    response = signed_request(multi_account_cloud, "DescribeVpcs", {"RegionId": "cn-hangzhou"})
    assert response.status_code == 404
    assert response.json()["Code"] == "InvalidAccessKeyId.NotFound"
