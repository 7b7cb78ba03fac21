"""The official Python SDK (alibabacloud_tea_openapi) signing with ACS3-HMAC-SM3 against a
live server: its own SM3 implementation and riconnect's verification agree."""

from __future__ import annotations

from alibabacloud_vpc20160428 import models
from Tea.exceptions import TeaException

from riconnect.testing import LiveCloud, sts_client, vpc_client


def test_official_sdk_signs_with_sm3(riconnect_cloud: LiveCloud) -> None:
    client = vpc_client(riconnect_cloud, signature_algorithm="ACS3-HMAC-SM3")
    created = client.create_vpc(
        models.CreateVpcRequest(region_id="cn-hangzhou", vpc_name="sm3", cidr_block="10.0.0.0/8")
    ).body
    found = client.describe_vpc_attribute(
        models.DescribeVpcAttributeRequest(region_id="cn-hangzhou", vpc_id=created.vpc_id)
    ).body
    assert found.vpc_name == "sm3"
    identity = sts_client(riconnect_cloud, signature_algorithm="ACS3-HMAC-SM3")
    assert identity.get_caller_identity().body.account_id


def test_official_sdk_sm3_with_a_wrong_secret_is_refused(riconnect_cloud: LiveCloud) -> None:
    client = vpc_client(riconnect_cloud, secret="wrong", signature_algorithm="ACS3-HMAC-SM3")
    try:
        client.describe_vpcs(models.DescribeVpcsRequest(region_id="cn-hangzhou"))
    except TeaException as exc:
        assert exc.code == "SignatureDoesNotMatch"
    else:
        raise AssertionError("a wrong secret was accepted")
