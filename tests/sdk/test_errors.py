"""Every error path of the cloud, part 1, as the official SDKs see it, plus the raw envelope.

SDK tests assert what each client raises: the V2 SDK's ClientException
``.code``/``.status_code``, core's ServerException ``.get_error_code()``/``.get_http_status()``.
Protocol errors no SDK can provoke (stale timestamps, replayed nonces, unsigned requests,
XML, wrong paths) are sent as raw signed requests with ``riconnect.testing.signed_request``.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException as CoreServerException
from Tea.exceptions import TeaException

from riconnect.testing import (
    DEMO_ACCOUNT_ID,
    STS_VERSION,
    LiveCloud,
    invoke,
    signed_request,
    unique_name,
    wait_until,
)

ENVELOPE = {"RequestId", "HostId", "Code", "Message", "Recommend"}
JSON_TYPE = "application/json;charset=utf-8"

# The small cloud is shared by the three client kinds: each kind works in its own region.
QUOTA_REGION = {"tea-v3": "cn-qingdao", "tea-v1": "cn-beijing", "core": "cn-shanghai"}


@pytest.fixture(scope="module")
def small_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    """A server with a VPC quota of 2 and a 4 KiB request-body limit."""
    workdir = tmp_path_factory.mktemp("small-cloud")
    with LiveCloud(workdir / "small.db", workdir=workdir, vpc_quota=2, max_body=4096) as cloud:
        yield cloud


def assert_envelope(response: httpx.Response, code: str, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == JSON_TYPE
    body = response.json()
    assert set(body) == ENVELOPE, body
    assert body["Code"] == code, body
    assert body["RequestId"] == response.headers["x-acs-request-id"]
    assert body["Message"] and isinstance(body["Message"], str)
    assert f"q={code}&" in body["Recommend"] and body["RequestId"] in body["Recommend"]
    return body


# -- gateway errors through the SDKs --------------------------------------------------------


def test_unknown_action(sdk: Any) -> None:
    with sdk.raises("InvalidAction.NotFound", 404):
        sdk.call("DescribeNothing", {"RegionId": sdk.region})


def test_unsupported_version(sdk: Any) -> None:
    # (2014-05-26 is Ecs's version, served on the same port: not an unknown version.)
    with sdk.raises("InvalidVersion", 400) as caught:
        sdk.call("DescribeVpcs", {"RegionId": sdk.region}, version="2013-05-26")
    assert "2013-05-26" in caught.message


def test_unknown_access_key(make_sdk: Any, riconnect_cloud: LiveCloud) -> None:
    stranger = make_sdk(riconnect_cloud, ak="LTAInobodyHasThisKey", sk="whatever")
    with stranger.raises("InvalidAccessKeyId.NotFound", 404):
        stranger.describe_vpcs()


def test_wrong_secret(make_sdk: Any, riconnect_cloud: LiveCloud) -> None:
    wrong = make_sdk(riconnect_cloud, sk="not-the-secret")
    if wrong.is_core:
        # core compares the server's string-to-sign (after the ':') with its own, finds
        # them equal and reports the secret as wrong.
        with wrong.raises("InvalidAccessKeySecret", 400) as caught:
            wrong.describe_vpcs()
        assert "AccessKeySecret is incorrect" in caught.message
    else:
        with wrong.raises("SignatureDoesNotMatch", 400) as caught:
            wrong.describe_vpcs()
        server_sts = caught.data["Message"].split("server string to sign is:", 1)[1]
        if wrong.kind == "tea-v3":
            assert server_sts.startswith("ACS3-HMAC-SHA256\n")
        else:
            assert server_sts.startswith("POST&%2F&AccessKeyId%3D")


# -- signature protocol, raw --------------------------------------------------------------


@pytest.mark.parametrize("signature", ["v1", "v3"])
@pytest.mark.parametrize("skew_minutes", [-16, 16])
def test_timestamp_out_of_window(
    riconnect_cloud: LiveCloud, signature: Any, skew_minutes: int
) -> None:
    response = signed_request(
        riconnect_cloud,
        "DescribeVpcs",
        {"RegionId": "cn-hangzhou"},
        signature=signature,
        timestamp=time.time() + skew_minutes * 60,
    )
    assert_envelope(response, "IllegalTimestamp", 400)


@pytest.mark.parametrize("signature", ["v1", "v3"])
@pytest.mark.parametrize("skew_minutes", [-14, 14])
def test_timestamp_inside_window(
    riconnect_cloud: LiveCloud, signature: Any, skew_minutes: int
) -> None:
    response = signed_request(
        riconnect_cloud,
        "DescribeVpcs",
        {"RegionId": "cn-hangzhou"},
        signature=signature,
        timestamp=time.time() + skew_minutes * 60,
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_replayed_nonce(riconnect_cloud: LiveCloud, signature: Any) -> None:
    nonce = unique_name("nonce")
    stamp = time.time()
    kwargs: dict[str, Any] = {"signature": signature, "nonce": nonce, "timestamp": stamp}
    first = signed_request(riconnect_cloud, "DescribeVpcs", {"RegionId": "cn-hangzhou"}, **kwargs)
    assert first.status_code == 200, first.text
    # The byte-identical request again: a replay.
    second = signed_request(riconnect_cloud, "DescribeVpcs", {"RegionId": "cn-hangzhou"}, **kwargs)
    assert_envelope(second, "SignatureNonceUsed", 400)


def test_unsigned_request(riconnect_cloud: LiveCloud) -> None:
    response = signed_request(
        riconnect_cloud, "DescribeVpcs", {"RegionId": "cn-hangzhou"}, signature=None
    )
    assert_envelope(response, "MissingSignature", 400)


# -- parameter errors through the SDKs ----------------------------------------------------


@pytest.mark.parametrize("action", ["DescribeVpcAttribute", "ModifyVpcAttribute", "DeleteVpc"])
def test_missing_vpc_id(sdk: Any, action: str) -> None:
    with sdk.raises("MissingParameter", 400) as caught:
        sdk.action(action, {})
    assert '"VpcId"' in caught.message


def test_missing_region_id(sdk: Any) -> None:
    if sdk.is_core:
        pytest.skip("core always sends its client's RegionId")
    with sdk.raises("MissingParameter", 400) as caught:
        sdk.call("DescribeVpcs", {})
    assert '"RegionId"' in caught.message


@pytest.mark.parametrize("name", ["PageSize", "PageNumber"])
def test_malformed_integer(sdk: Any, name: str) -> None:
    with sdk.raises("InvalidParameter", 400) as caught:
        sdk.describe_vpcs(**{name: "abc"})
    assert f'"{name}"' in caught.message


@pytest.mark.parametrize("size", [0, 51, -1])
def test_page_size_out_of_range(sdk: Any, size: int) -> None:
    with sdk.raises("InvalidParameter", 400) as caught:
        sdk.describe_vpcs(PageSize=size)
    assert '"PageSize"' in caught.message


def test_page_size_bounds_accepted(sdk: Any) -> None:
    assert sdk.describe_vpcs(PageSize=50)["PageSize"] == 50
    assert sdk.describe_vpcs(PageSize=1)["PageSize"] == 1


def test_too_many_vpc_ids(sdk: Any) -> None:
    ids = ",".join(f"vpc-{i:021d}" for i in range(21))
    with sdk.raises("InvalidParameter", 400):
        sdk.describe_vpcs(VpcId=ids)


@pytest.mark.parametrize(
    "cidr",
    [
        "127.0.0.0/8",  # loopback
        "10.0.0.0/30",  # smaller than /28
        "nonsense",
        "10.0.0.1/16",  # host bits set
        "100.64.0.0/16",  # carrier-grade NAT
        "0.0.0.0/0",
        "fd00::/8",  # not IPv4
    ],
)
def test_bad_cidr(sdk: Any, cidr: str) -> None:
    name = unique_name("badcidr")
    with sdk.raises("InvalidCidrBlock.Malformed", 400):
        sdk.create_vpc(CidrBlock=cidr, VpcName=name)
    assert sdk.describe_vpcs(VpcName=name)["TotalCount"] == 0


@pytest.mark.parametrize("name", ["http://example.com", "https://x", "HTTP://x", "n" * 129])
def test_bad_vpc_name(sdk: Any, name: str) -> None:
    with sdk.raises("InvalidVpcName.Malformed", 400):
        sdk.create_vpc(VpcName=name)


def test_bad_description(sdk: Any) -> None:
    with sdk.raises("InvalidDescription.Malformed", 400):
        sdk.create_vpc(VpcName=unique_name("desc"), Description="https://nope")


def test_bad_name_on_modify(sdk: Any) -> None:
    name = unique_name("mod")
    vpc_id = sdk.create_vpc(VpcName=name)["VpcId"]
    with sdk.raises("InvalidVpcName.Malformed", 400):
        sdk.modify_vpc(vpc_id, VpcName="http://bad")
    assert sdk.describe_vpc(vpc_id)["VpcName"] == name  # nothing half-applied
    sdk.delete_vpc(vpc_id)


def test_unknown_region(make_sdk: Any, riconnect_cloud: LiveCloud) -> None:
    nowhere = make_sdk(riconnect_cloud, region="xx-nowhere-1")
    with nowhere.raises("InvalidRegionId.NotFound", 404):
        nowhere.describe_vpcs()
    with nowhere.raises("InvalidRegionId.NotFound", 404):
        nowhere.create_vpc(VpcName=unique_name("nowhere"))


@pytest.mark.parametrize("action", ["DescribeVpcAttribute", "ModifyVpcAttribute", "DeleteVpc"])
def test_unknown_vpc_id(sdk: Any, action: str) -> None:
    with sdk.raises("InvalidVpcID.NotFound", 404):
        sdk.action(action, {"VpcId": "vpc-doesnotexist0000000000"})


def test_vpc_of_another_region_is_not_found(make_sdk: Any, riconnect_cloud: LiveCloud) -> None:
    hangzhou = make_sdk(riconnect_cloud)
    shanghai = make_sdk(riconnect_cloud, region="cn-shanghai")
    vpc_id = hangzhou.create_vpc(VpcName=unique_name("region"))["VpcId"]
    with shanghai.raises("InvalidVpcID.NotFound", 404):
        shanghai.describe_vpc(vpc_id)
    assert shanghai.ids([vpc_id]) == set()
    hangzhou.delete_vpc(vpc_id)


# -- DryRun ------------------------------------------------------------------------------


def test_dry_run_create_creates_nothing(sdk: Any) -> None:
    name = unique_name("dry")
    with sdk.raises("DryRunOperation", 400):
        sdk.create_vpc(VpcName=name, DryRun=True)
    assert sdk.describe_vpcs(VpcName=name)["TotalCount"] == 0
    # A dry run still validates: a bad request fails with its own error.
    with sdk.raises("InvalidCidrBlock.Malformed", 400):
        sdk.create_vpc(VpcName=name, CidrBlock="127.0.0.0/8", DryRun=True)


def test_dry_run_describe_and_delete(sdk: Any) -> None:
    vpc_id = sdk.create_vpc(VpcName=unique_name("dry"))["VpcId"]
    with sdk.raises("DryRunOperation", 400):
        sdk.describe_vpcs(DryRun=True)
    with sdk.raises("DryRunOperation", 400):
        sdk.describe_vpc(vpc_id, DryRun=True)
    with sdk.raises("DryRunOperation", 400):
        sdk.delete_vpc(vpc_id, DryRun=True)
    assert sdk.describe_vpc(vpc_id)["Status"] == "Available"  # the dry run deleted nothing
    sdk.delete_vpc(vpc_id, DryRun=False)
    assert sdk.ids([vpc_id]) == set()


# -- quota and idempotency ----------------------------------------------------------------


def test_vpc_quota(make_sdk: Any, small_cloud: LiveCloud, sdk_kind: str) -> None:
    client = make_sdk(small_cloud, region=QUOTA_REGION[sdk_kind])
    first = client.create_vpc(VpcName=unique_name("q"))["VpcId"]
    client.create_vpc(VpcName=unique_name("q"))
    name = unique_name("q")
    with client.raises("QuotaExceeded.Vpc", 400):
        client.create_vpc(VpcName=name)
    assert client.describe_vpcs(VpcName=name)["TotalCount"] == 0
    assert client.describe_vpcs()["TotalCount"] == 2
    # The quota is per region: the same account still has room next door.
    elsewhere = make_sdk(small_cloud, region="cn-shenzhen")
    other = elsewhere.create_vpc(VpcName=unique_name("q"))["VpcId"]
    elsewhere.delete_vpc(other)
    # Deleting one frees a slot.
    client.delete_vpc(first)
    client.create_vpc(VpcName=name)
    assert client.describe_vpcs()["TotalCount"] == 2


def test_client_token_reuse(sdk: Any) -> None:
    token = unique_name("token")
    name = unique_name("idem")
    first = sdk.create_vpc(VpcName=name, CidrBlock="10.0.0.0/16", ClientToken=token)
    second = sdk.create_vpc(VpcName=name, CidrBlock="10.0.0.0/16", ClientToken=token)
    assert second["VpcId"] == first["VpcId"]
    assert second["RouteTableId"] == first["RouteTableId"]
    assert sdk.describe_vpcs(VpcName=name)["TotalCount"] == 1
    with sdk.raises("IdempotentParameterMismatch", 400):
        sdk.create_vpc(VpcName=name, CidrBlock="10.1.0.0/16", ClientToken=token)
    with sdk.raises("IdempotentParameterMismatch", 400):
        sdk.create_vpc(VpcName=f"{name}-other", CidrBlock="10.0.0.0/16", ClientToken=token)
    assert sdk.describe_vpcs(VpcName=name)["TotalCount"] == 1
    # Without a token every call creates.
    again = sdk.create_vpc(VpcName=name, CidrBlock="10.0.0.0/16")
    assert again["VpcId"] != first["VpcId"]
    assert sdk.describe_vpcs(VpcName=name)["TotalCount"] == 2
    sdk.delete_vpc(first["VpcId"])
    sdk.delete_vpc(again["VpcId"])


def test_quota_holds_under_concurrent_creates(small_cloud: LiveCloud) -> None:
    """Ten simultaneous creates against a quota of 2: exactly two win (count and insert
    happen in one write transaction)."""
    region = {"RegionId": "cn-guangzhou"}

    def create(i: int) -> tuple[int, str]:
        response = signed_request(small_cloud, "CreateVpc", {**region, "VpcName": f"c{i}"})
        return response.status_code, response.json().get("Code", "")

    with ThreadPoolExecutor(10) as pool:
        results = sorted(pool.map(create, range(10)))
    assert results == [(200, "")] * 2 + [(400, "QuotaExceeded.Vpc")] * 8
    assert invoke(small_cloud, "DescribeVpcs", region)["TotalCount"] == 2


def test_same_client_token_concurrently(small_cloud: LiveCloud) -> None:
    region = {"RegionId": "cn-heyuan"}
    params = {**region, "VpcName": "same", "ClientToken": unique_name("token")}

    def create(_: int) -> str:
        return str(invoke(small_cloud, "CreateVpc", params)["VpcId"])

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(create, range(8)))
    assert len(ids) == 1
    assert invoke(small_cloud, "DescribeVpcs", region)["TotalCount"] == 1


def test_client_token_too_long(sdk: Any) -> None:
    with sdk.raises("InvalidParameter", 400) as caught:
        sdk.create_vpc(VpcName=unique_name("tok"), ClientToken="t" * 65)
    assert '"ClientToken"' in caught.message


def test_client_token_is_per_region(make_sdk: Any, riconnect_cloud: LiveCloud) -> None:
    token = unique_name("token")
    name = unique_name("regiontoken")
    hangzhou = make_sdk(riconnect_cloud, region="cn-hangzhou")
    shanghai = make_sdk(riconnect_cloud, region="cn-shanghai")
    in_hangzhou = hangzhou.create_vpc(VpcName=name, ClientToken=token)["VpcId"]
    try:
        try:
            in_shanghai = shanghai.create_vpc(VpcName=name, ClientToken=token)["VpcId"]
        except (TeaException, CoreServerException) as exc:
            # Refusing the reuse would be right too (the request differs in its region).
            code = exc.get_error_code() if isinstance(exc, CoreServerException) else exc.code
            assert code == "IdempotentParameterMismatch"
            return
        # What is not right: an id that Shanghai does not know.
        assert shanghai.ids([in_shanghai]) == {in_shanghai}
        shanghai.delete_vpc(in_shanghai)
    finally:
        hangzhou.delete_vpc(in_hangzhou)


# -- body size ---------------------------------------------------------------------------


def test_request_too_large(sdk_kind: str, make_sdk: Any, small_cloud: LiveCloud) -> None:
    client = make_sdk(small_cloud, region=QUOTA_REGION[sdk_kind])
    with client.raises("RequestTooLarge", 413):
        client.call("DescribeVpcs", {"RegionId": client.region}, form={"Padding": "x" * 5000})
    # Just under the limit is fine.
    assert client.call("DescribeVpcs", {"RegionId": client.region}, form={"Padding": "x" * 3000})


# -- XML ---------------------------------------------------------------------------------


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_format_xml(riconnect_cloud: LiveCloud, sdk: Any, signature: Any) -> None:
    name = unique_name("xml")
    vpc_id = sdk.create_vpc(VpcName=name, Tag=[{"Key": "k", "Value": "a<b&c"}])["VpcId"]
    ok = signed_request(
        riconnect_cloud,
        "DescribeVpcs",
        {"RegionId": "cn-hangzhou", "VpcId": vpc_id, "Format": "XML"},
        signature=signature,
    )
    assert ok.status_code == 200
    assert ok.headers["content-type"] == "text/xml;charset=utf-8"
    root = ET.fromstring(ok.content)
    assert root.tag == "DescribeVpcsResponse"
    assert root.findtext("RequestId") == ok.headers["x-acs-request-id"]
    assert root.findtext("TotalCount") == "1"
    assert root.findtext("Vpcs/Vpc/VpcId") == vpc_id
    assert root.findtext("Vpcs/Vpc/VpcName") == name
    assert root.findtext("Vpcs/Vpc/Tags/Tag/Value") == "a<b&c"

    err = signed_request(
        riconnect_cloud,
        "DescribeVpcAttribute",
        {"RegionId": "cn-hangzhou", "VpcId": "vpc-nothere00000000000", "Format": "XML"},
        signature=signature,
    )
    assert err.status_code == 404
    assert err.headers["content-type"] == "text/xml;charset=utf-8"
    root = ET.fromstring(err.content)
    assert root.tag == "Error"
    assert {child.tag for child in root} == ENVELOPE
    assert root.findtext("Code") == "InvalidVpcID.NotFound"
    sdk.delete_vpc(vpc_id)


# -- the envelope of every error ------------------------------------------------------------

Case = Callable[[LiveCloud, LiveCloud], httpx.Response]


def _raw(action: str | None, params: dict[str, str] | None = None, **kwargs: Any) -> Case:
    def send(cloud: LiveCloud, small: LiveCloud) -> httpx.Response:
        return signed_request(cloud, action, params, **kwargs)

    return send


def _http(method: str, path: str) -> Case:
    def send(cloud: LiveCloud, small: LiveCloud) -> httpx.Response:
        return httpx.request(method, cloud.url + path, trust_env=False)

    return send


def _replay(cloud: LiveCloud, small: LiveCloud) -> httpx.Response:
    kwargs: dict[str, Any] = {"nonce": unique_name("n"), "timestamp": time.time()}
    signed_request(cloud, "DescribeRegions", None, **kwargs)
    return signed_request(cloud, "DescribeRegions", None, **kwargs)


def _mismatch(cloud: LiveCloud, small: LiveCloud) -> httpx.Response:
    token = unique_name("t")
    first = signed_request(
        cloud, "CreateVpc", {"RegionId": "cn-hangzhou", "ClientToken": token, "VpcName": "a"}
    )
    assert first.status_code == 200
    signed_request(cloud, "DeleteVpc", {"RegionId": "cn-hangzhou", "VpcId": first.json()["VpcId"]})
    return signed_request(
        cloud, "CreateVpc", {"RegionId": "cn-hangzhou", "ClientToken": token, "VpcName": "b"}
    )


def _quota(cloud: LiveCloud, small: LiveCloud) -> httpx.Response:
    region = {"RegionId": "cn-chengdu"}
    for _ in range(2):
        signed_request(small, "CreateVpc", region)
    return signed_request(small, "CreateVpc", region)


def _too_large(cloud: LiveCloud, small: LiveCloud) -> httpx.Response:
    return signed_request(
        small, "DescribeVpcs", {"RegionId": "cn-hangzhou"}, form={"P": "x" * 5000}
    )


HZ = {"RegionId": "cn-hangzhou"}
ERROR_CASES: dict[str, tuple[Case, str, int]] = {
    "unknown-action": (_raw("DescribeNothing", HZ), "InvalidAction.NotFound", 404),
    "no-action": (_raw(None, HZ), "MissingParameter", 400),
    "bad-version": (_raw("DescribeVpcs", HZ, version="2000-01-01"), "InvalidVersion", 400),
    "unknown-key": (
        _raw("DescribeVpcs", HZ, access_key_id="LTAInobody"),
        "InvalidAccessKeyId.NotFound",
        404,
    ),
    "bad-secret-v1": (_raw("DescribeVpcs", HZ, secret="nope"), "SignatureDoesNotMatch", 400),
    "bad-secret-v3": (
        _raw("DescribeVpcs", HZ, secret="nope", signature="v3"),
        "SignatureDoesNotMatch",
        400,
    ),
    "old-timestamp": (
        _raw("DescribeVpcs", HZ, timestamp=time.time() - 3600),
        "IllegalTimestamp",
        400,
    ),
    "replayed-nonce": (_replay, "SignatureNonceUsed", 400),
    "unsigned": (_raw("DescribeVpcs", HZ, signature=None), "MissingSignature", 400),
    "missing-vpc-id": (_raw("DescribeVpcAttribute", HZ), "MissingParameter", 400),
    "bad-int": (_raw("DescribeVpcs", {**HZ, "PageSize": "abc"}), "InvalidParameter", 400),
    "page-size-51": (_raw("DescribeVpcs", {**HZ, "PageSize": "51"}), "InvalidParameter", 400),
    "bad-cidr": (
        _raw("CreateVpc", {**HZ, "CidrBlock": "127.0.0.0/8"}),
        "InvalidCidrBlock.Malformed",
        400,
    ),
    "bad-name": (
        _raw("CreateVpc", {**HZ, "VpcName": "http://x"}),
        "InvalidVpcName.Malformed",
        400,
    ),
    "unknown-region": (
        _raw("DescribeVpcs", {"RegionId": "xx-nowhere-1"}),
        "InvalidRegionId.NotFound",
        404,
    ),
    "unknown-vpc": (
        _raw("DeleteVpc", {**HZ, "VpcId": "vpc-nothere000000000000"}),
        "InvalidVpcID.NotFound",
        404,
    ),
    "dry-run": (_raw("CreateVpc", {**HZ, "DryRun": "true"}), "DryRunOperation", 400),
    "token-mismatch": (_mismatch, "IdempotentParameterMismatch", 400),
    "quota": (_quota, "QuotaExceeded.Vpc", 400),
    "too-large": (_too_large, "RequestTooLarge", 413),
    "wrong-path-get": (_http("GET", "/v1/vpcs"), "InvalidPath", 404),
    "wrong-path-post": (_http("POST", "/index.html"), "InvalidPath", 404),
    "put": (_http("PUT", "/"), "UnsupportedHTTPMethod", 403),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_error_envelope(riconnect_cloud: LiveCloud, small_cloud: LiveCloud, case: str) -> None:
    send, code, status = ERROR_CASES[case]
    body = assert_envelope(send(riconnect_cloud, small_cloud), code, status)
    assert body["HostId"] == "vpc.aliyuncs.com"


def test_sts_error_envelope_names_sts_host(riconnect_cloud: LiveCloud) -> None:
    response = signed_request(
        riconnect_cloud, "GetCallerIdentity", None, version=STS_VERSION, secret="nope"
    )
    body = assert_envelope(response, "SignatureDoesNotMatch", 400)
    assert body["HostId"] == "sts.aliyuncs.com"


def test_error_is_in_the_access_log(riconnect_cloud: LiveCloud) -> None:
    """The access log records account, status and code of an error answer."""
    response = signed_request(riconnect_cloud, "CreateVpc", {**HZ, "VpcName": "http://x"})
    rid = assert_envelope(response, "InvalidVpcName.Malformed", 400)["RequestId"]

    def logged() -> str | None:
        lines = riconnect_cloud.log_path.read_text().splitlines()
        return next((ln for ln in lines if rid in ln and "riconnect.access" in ln), None)

    # The server writes the line just after answering: poll for it.
    line = wait_until(logged, timeout=5, message="access log line")
    assert "code=InvalidVpcName.Malformed" in line and "status=400" in line
    assert f"account={DEMO_ACCOUNT_ID}" in line
