"""The request shapes of the official Go provider's two client stacks, replayed over HTTP as
captured from terraform-provider-alicloud v1.285.0 (docs/fidelity.md, "The official Go
provider"), and the answers its code reads:

* the V1 SDK (aliyun/alibaba-cloud-sdk-go): POST with every parameter in the query, an
  empty body, ``Format=JSON``, an empty ``SignatureType=`` that is signed, and
  ``x-acs-action``/``x-acs-version``/``x-sdk-client`` headers;
* Tea RPC (alibabacloud-go/tea-rpc): the system parameters in the query (``Format=json``),
  ``RegionId``, ``ClientToken`` and the API's parameters in a form body, one HMAC-SHA1
  signature over both.

The signature is computed here from the documented algorithm, not with riconnect's signer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from riconnect.testing import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, LiveCloud

HZ = "cn-hangzhou"
VPC, ECS, STS, BSS = "2016-04-28", "2014-05-26", "2015-04-01", "2017-12-14"
GO_UA = "AlibabaCloud (linux; amd64) Golang/1.26.8 Core/1.63.22 Extra/Terraform"
TEA_UA = "AlibabaCloud (linux; amd64) Golang/1.26.8 Core/0.01 TeaDSL/1"
SUCCESS_CODES = {"200", "Success"}


def _pct(text: str) -> str:
    return quote(text, safe="~")


def _sign(method: str, pairs: dict[str, str]) -> str:
    canonical = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(pairs.items()))
    to_sign = f"{method}&%2F&{_pct(canonical)}"
    mac = hmac.new(f"{DEMO_ACCESS_KEY_SECRET}&".encode(), to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def _system(action: str, version: str, fmt: str) -> dict[str, str]:
    return {
        "AccessKeyId": DEMO_ACCESS_KEY_ID,
        "Action": action,
        "Format": fmt,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "Version": version,
    }


class GoClients:
    def __init__(self, cloud: LiveCloud) -> None:
        self.cloud = cloud
        self.answers: list[tuple[str, int, dict[str, Any]]] = []

    def _post(self, action: str, query: dict[str, str], body: str, headers: dict[str, str]) -> Any:
        conn = http.client.HTTPConnection(self.cloud.host, self.cloud.port, timeout=15)
        try:
            conn.request("POST", "/?" + urlencode(query, quote_via=quote), body, headers)
            response = conn.getresponse()
            answer = (action, response.status, json.loads(response.read()))
        finally:
            conn.close()
        self.answers.append(answer)
        return answer

    def v1(self, action: str, version: str = VPC, **params: str) -> tuple[int, dict[str, Any]]:
        """The V1 SDK: everything in the query, SignatureType= empty and signed."""
        query = {**_system(action, version, "JSON"), "SignatureType": "", **params}
        query["Signature"] = _sign("POST", query)
        headers = {
            "User-Agent": GO_UA,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Encoding": "identity",
            "x-acs-action": action,
            "x-acs-version": version,
            "x-acs-credentials-provider": "static_ak",
            "x-sdk-client": "golang/1.0.0",
            "x-sdk-invoke-type": "normal",
        }
        _, status, body = self._post(action, query, "", headers)
        return status, body

    def tea(self, action: str, version: str = VPC, **form: str) -> tuple[int, dict[str, Any]]:
        """Tea RPC: system parameters in the query, the rest in the form; one signature."""
        query = _system(action, version, "json")
        query["Signature"] = _sign("POST", {**query, **form})
        headers = {
            "User-Agent": TEA_UA,
            "content-type": "application/x-www-form-urlencoded",
            "x-acs-action": action,
            "x-acs-version": version,
            "Accept-Encoding": "gzip",
        }
        _, status, body = self._post(action, query, urlencode(form, quote_via=quote), headers)
        return status, body


def _ok(answer: tuple[int, dict[str, Any]]) -> dict[str, Any]:
    status, body = answer
    assert status == 200, body
    return body


def test_a_router_interface_pair_through_both_go_client_shapes(riconnect_cloud: LiveCloud) -> None:
    go = GoClients(riconnect_cloud)
    # The opposite_region check of alicloud_router_interface (V1, Ecs, RegionId only).
    regions = _ok(go.v1("DescribeRegions", ECS, RegionId=HZ))["Regions"]["Region"]
    assert HZ in {r["RegionId"] for r in regions}
    # alicloud_vpc (Tea), tags as Tag.N in the form.
    token = f"TF-CreateVpc-{uuid.uuid4()}"
    vpcs = [
        _ok(
            go.tea(
                "CreateVpc",
                RegionId=HZ,
                ClientToken=f"{token}-{n}",
                CidrBlock=cidr,
                VpcName=f"go-{n}",
                **{"Tag.1.Key": "team", "Tag.1.Value": "network"},
            )
        )
        for n, cidr in enumerate(("172.16.0.0/12", "192.168.0.0/16"))
    ]
    tables = _ok(go.tea("DescribeRouteTableList", RegionId=HZ, VpcId=vpcs[0]["VpcId"]))
    (system,) = tables["RouterTableList"]["RouterTableListType"]
    assert (system["RouteTableType"], system["VpcId"]) == ("System", vpcs[0]["VpcId"])
    # alicloud_router_interface and _connection (V1).
    ids = {}
    for role, spec, vpc in (
        ("InitiatingSide", "Large.2", vpcs[0]),
        ("AcceptingSide", "Negative", vpcs[1]),
    ):
        ids[role] = _ok(
            go.v1(
                "CreateRouterInterface",
                RegionId=HZ,
                RouterType="VRouter",
                RouterId=vpc["VRouterId"],
                Role=role,
                Spec=spec,
                InstanceChargeType="PostPaid",
                OppositeRegionId=HZ,
                ClientToken=f"TF-CreateRouterInterface-{uuid.uuid4()}",
            )
        )["RouterInterfaceId"]
    for role, other, vpc in (
        ("AcceptingSide", "InitiatingSide", vpcs[0]),
        ("InitiatingSide", "AcceptingSide", vpcs[1]),
    ):
        _ok(
            go.v1(
                "ModifyRouterInterfaceAttribute",
                RegionId=HZ,
                RouterInterfaceId=ids[role],
                OppositeInterfaceId=ids[other],
                OppositeRouterId=vpc["VRouterId"],
                OppositeRouterType="VRouter",
                OppositeInterfaceOwnerId="1234567890123456",  # a string, as the SDK sends it
            )
        )
    _ok(go.v1("ConnectRouterInterface", RegionId=HZ, RouterInterfaceId=ids["InitiatingSide"]))

    def described(ri_id: str) -> dict[str, Any]:
        body = _ok(
            go.v1(
                "DescribeRouterInterfaces",
                RegionId=HZ,
                **{"Filter.1.Key": "RouterInterfaceId", "Filter.1.Value.1": ri_id},
            )
        )
        (item,) = body["RouterInterfaceSet"]["RouterInterfaceType"]
        return dict(item)

    assert {described(i)["Status"] for i in ids.values()} == {"Active"}
    assert described(ids["InitiatingSide"])["ChargeType"] == "AfterPay"
    _ok(go.v1("DeactivateRouterInterface", RegionId=HZ, RouterInterfaceId=ids["InitiatingSide"]))
    for role, other in (("InitiatingSide", "AcceptingSide"), ("AcceptingSide", "InitiatingSide")):
        item = described(ids[role])
        assert item["Status"] == "Inactive"
        # What the connection's Read and Delete wait on: all four, on both sides.
        assert item["OppositeInterfaceId"] == ids[other]
        assert item["OppositeRouterType"] == "VRouter" and item["OppositeRouterId"]
        assert item["OppositeInterfaceOwnerId"] == "1234567890123456"
    # The express resource's read (Tea): HcThreshold only once set.
    attribute = _ok(
        go.tea("DescribeRouterInterfaceAttribute", RegionId=HZ, InstanceId=ids["AcceptingSide"])
    )
    assert "HcThreshold" not in attribute and attribute["ChargeType"] == "AfterPay"
    # Not found, as the provider's NotFoundError reads it: HTTP 404.
    for action, params, code in (
        ("DescribeVpcAttribute", {"VpcId": "vpc-doesnotexist000000"}, "InvalidVpcID.NotFound"),
        (
            "DescribeRouterInterfaceAttribute",
            {"InstanceId": "ri-doesnotexist0000000"},
            "InvalidInstanceId.NotFound",
        ),
    ):
        status, body = go.tea(action, RegionId=HZ, **params)
        assert (status, body["Code"]) == (404, code)
    status, body = go.v1("DescribeNothing", RegionId=HZ)
    assert (status, body["Code"]) == (404, "InvalidAction.NotFound")
    # Start-up and connection calls without a region: BssOpenApi (Tea), STS (V1).
    probe = _ok(
        go.tea("QueryAvailableInstances", BSS, PageSize="50", PageNum="1", ProductCode="vipcloudfw")
    )
    assert probe["Success"] is True
    assert _ok(go.v1("GetCallerIdentity", STS))["AccountId"] == "1234567890123456"
    # No success answer carries an error Code (connectivity/client.go formatError).
    for action, status, body in go.answers:
        if status == 200 and "Code" in body:
            assert body["Code"] in SUCCESS_CODES and body.get("Success") is True, (action, body)
