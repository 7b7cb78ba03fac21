"""Fast in-process tests of the wire layer: the ASGI app called through httpx.ASGITransport.

Each test gets a fresh app on an in-memory store with a FakeClock (``riconnect_app``).
Requests are signed like the SDKs sign theirs (``riconnect.testing.signed_request``).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from riconnect.api.app import App
from riconnect.api.auth import sign_v1, sign_v3
from riconnect.testing import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    STS_VERSION,
    PreparedRequest,
    RiconnectApiError,
    inprocess_app,
    invoke,
    send,
    signed_request,
)

HZ = {"RegionId": "cn-hangzhou"}


def error_of(app: App, action: str | None, params: Any = None, **kwargs: Any) -> dict[str, Any]:
    response = signed_request(app, action, params, **kwargs)
    assert response.status_code >= 400, response.text
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    body: dict[str, Any] = response.json()
    body["status"] = response.status_code
    return body


def create(app: App, params: Any = None, **kwargs: Any) -> dict[str, Any]:
    vpc_id = invoke(app, "CreateVpc", {**HZ, **dict(params or {})}, **kwargs)["VpcId"]
    return invoke(app, "DescribeVpcAttribute", {**HZ, "VpcId": vpc_id})


def tags_of(vpc: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((t["Key"], t["Value"]) for t in vpc["Tags"]["Tag"])


# -- Tag.N / Tags.N ----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["Tag", "Tags"])
def test_tag_spellings(riconnect_app: App, prefix: str) -> None:
    vpc = create(
        riconnect_app,
        {f"{prefix}.1.Key": "team", f"{prefix}.1.Value": "net", f"{prefix}.2.Key": "bare"},
    )
    assert tags_of(vpc) == [("bare", ""), ("team", "net")]
    found = invoke(riconnect_app, "DescribeVpcs", {**HZ, f"{prefix}.1.Key": "team"})
    assert [v["VpcId"] for v in found["Vpcs"]["Vpc"]] == [vpc["VpcId"]]


def test_tag_spellings_mixed_and_agreeing(riconnect_app: App) -> None:
    vpc = create(
        riconnect_app,
        {"Tag.1.Key": "a", "Tags.1.Key": "a", "Tag.1.Value": "1", "Tags.2.Key": "b"},
    )
    assert tags_of(vpc) == [("a", "1"), ("b", "")]


def test_tag_spellings_conflicting(riconnect_app: App) -> None:
    body = error_of(riconnect_app, "CreateVpc", {**HZ, "Tag.1.Key": "a", "Tags.1.Key": "b"})
    assert (body["status"], body["Code"]) == (400, "InvalidParameter.Duplicate")


def test_tag_value_without_key(riconnect_app: App) -> None:
    body = error_of(riconnect_app, "CreateVpc", {**HZ, "Tag.1.Value": "orphan"})
    assert body["Code"] == "MissingParameter" and '"Tag.1.Key"' in body["Message"]


@pytest.mark.parametrize("index", ["0", "101", "x", "-1"])
def test_tag_index_out_of_range(riconnect_app: App, index: str) -> None:
    body = error_of(riconnect_app, "CreateVpc", {**HZ, f"Tag.{index}.Key": "k"})
    assert body["Code"] == "InvalidParameter" and f"Tag.{index}.Key" in body["Message"]


@pytest.mark.parametrize("index", ["²", "١"])  # a superscript two, an Arabic-Indic one
def test_tag_index_non_ascii_digits(riconnect_app: App, index: str) -> None:
    # str.isdigit() is true for both; "²" used to crash int() into a 500 InternalError.
    body = error_of(riconnect_app, "CreateVpc", {**HZ, f"Tag.{index}.Key": "k"})
    assert (body["status"], body["Code"]) == (400, "InvalidParameter")


def test_too_many_tags(riconnect_app: App) -> None:
    params = {f"Tag.{i}.Key": f"k{i}" for i in range(1, 22)}
    body = error_of(riconnect_app, "CreateVpc", {**HZ, **params})
    assert body["Code"] == "InvalidTag.Malformed"


# -- where parameters come from ------------------------------------------------------------


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_form_body_merged_with_query(riconnect_app: App, signature: Any) -> None:
    vpc = create(
        riconnect_app,
        form={"VpcName": "from-body", "Description": "a b+c&d=é", "Tag.1.Key": "k"},
        signature=signature,
    )
    assert vpc["VpcName"] == "from-body"
    assert vpc["Description"] == "a b+c&d=é"
    assert tags_of(vpc) == [("k", "")]


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_region_only_in_body(riconnect_app: App, signature: Any) -> None:
    body = invoke(riconnect_app, "DescribeVpcs", form=HZ, signature=signature)
    assert body["TotalCount"] == 0


def test_body_without_form_content_type_is_not_parameters(riconnect_app: App) -> None:
    vpc_id = invoke(
        riconnect_app,
        "CreateVpc",
        HZ,
        body=b"VpcName=ignored",
        headers={"content-type": "text/plain"},
        signature="v3",
    )["VpcId"]
    vpc = invoke(riconnect_app, "DescribeVpcAttribute", {**HZ, "VpcId": vpc_id})
    assert vpc["VpcName"] == ""


def test_duplicate_in_query_and_body_with_same_value(riconnect_app: App) -> None:
    vpc = create(riconnect_app, {"VpcName": "same"}, form={"VpcName": "same"})
    assert vpc["VpcName"] == "same"


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_duplicate_in_query_and_body_with_different_values(
    riconnect_app: App, signature: Any
) -> None:
    body = error_of(
        riconnect_app,
        "CreateVpc",
        {**HZ, "VpcName": "one"},
        form={"VpcName": "two"},
        signature=signature,
    )
    assert (body["status"], body["Code"]) == (400, "InvalidParameter.Duplicate")
    assert '"VpcName"' in body["Message"]
    assert invoke(riconnect_app, "DescribeVpcs", HZ)["TotalCount"] == 0


def test_duplicate_within_query(riconnect_app: App) -> None:
    body = error_of(
        riconnect_app, "DescribeVpcs", [*HZ.items(), ("PageSize", "5"), ("PageSize", "6")]
    )
    assert body["Code"] == "InvalidParameter.Duplicate" and '"PageSize"' in body["Message"]


def test_action_from_headers_v3(riconnect_app: App) -> None:
    # The V2 SDK's default signer sends Action/Version only as x-acs-* headers.
    response = signed_request(riconnect_app, "DescribeRegions", signature="v3")
    assert response.status_code == 200
    assert response.json()["Regions"]["Region"]


def test_get_is_accepted(riconnect_app: App) -> None:
    assert invoke(riconnect_app, "DescribeVpcs", HZ, method="GET")["TotalCount"] == 0


@pytest.mark.parametrize(
    ("params", "code", "name"),
    [
        ({"Version": "2016-04-28"}, "MissingParameter", "Action"),
        ({"Action": "DescribeVpcs"}, "MissingParameter", "Version"),
    ],
)
def test_missing_action_or_version(
    riconnect_app: App, params: dict[str, str], code: str, name: str
) -> None:
    body = error_of(riconnect_app, None, {**HZ, **params})
    assert body["Code"] == code and f'"{name}"' in body["Message"]


def test_unknown_version_vs_unknown_action(riconnect_app: App) -> None:
    assert error_of(riconnect_app, "DescribeVpcs", HZ, version="2099-01-01")["Code"] == (
        "InvalidVersion"
    )
    assert error_of(riconnect_app, "Nope", HZ, version="2099-01-01")["Code"] == (
        "InvalidAction.NotFound"
    )
    # A VPC action under the (known) STS version is simply not an action there.
    assert error_of(riconnect_app, "DescribeVpcs", HZ, version=STS_VERSION)["Code"] == (
        "InvalidAction.NotFound"
    )
    assert invoke(riconnect_app, "GetCallerIdentity", version=STS_VERSION)["AccountId"]


# -- parameter values --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "tRuE"])
def test_booleans_true_any_case(riconnect_app: App, value: str) -> None:
    body = error_of(riconnect_app, "CreateVpc", {**HZ, "DryRun": value})
    assert body["Code"] == "DryRunOperation"


@pytest.mark.parametrize("value", ["false", "False", "FALSE"])
def test_booleans_false_any_case(riconnect_app: App, value: str) -> None:
    assert invoke(riconnect_app, "CreateVpc", {**HZ, "DryRun": value})["VpcId"]


@pytest.mark.parametrize("value", ["yes", "1", "0", "t", "truth"])
def test_booleans_malformed(riconnect_app: App, value: str) -> None:
    body = error_of(riconnect_app, "CreateVpc", {**HZ, "DryRun": value})
    assert body["Code"] == "InvalidParameter" and '"DryRun"' in body["Message"]
    assert invoke(riconnect_app, "DescribeVpcs", HZ)["TotalCount"] == 0


def test_boolean_values_reach_the_service(riconnect_app: App) -> None:
    vpc = create(riconnect_app, {"EnableDnsHostname": "TRUE", "EnableIpv6": "true"})
    assert vpc["DnsHostnameStatus"] == "ENABLED" and vpc["EnabledIpv6"] is True
    listed = invoke(riconnect_app, "DescribeVpcs", {**HZ, "EnableIpv6": "FALSE"})
    assert listed["TotalCount"] == 0


def test_unknown_parameters_ignored(riconnect_app: App) -> None:
    vpc = create(
        riconnect_app,
        {
            "VpcName": "known",
            "NoSuchParameter": "x",
            "OwnerId": "123",
            "ResourceOwnerAccount": "someone",
            "Filter.1.Key": "whatever",
        },
    )
    assert vpc["VpcName"] == "known"


def test_empty_values_count_as_absent(riconnect_app: App) -> None:
    vpc = create(riconnect_app, {"VpcName": "", "CidrBlock": "", "Description": ""})
    assert vpc["CidrBlock"] == "172.16.0.0/12"
    body = invoke(riconnect_app, "DescribeVpcs", {**HZ, "PageSize": "", "PageNumber": ""})
    assert (body["PageSize"], body["PageNumber"]) == (10, 1)
    missing = error_of(riconnect_app, "DescribeVpcAttribute", {**HZ, "VpcId": ""})
    assert missing["Code"] == "MissingParameter"


@pytest.mark.parametrize("value", ["abc", "5.0", "1e1", "0x10", "5 5", "٣"])
def test_integers_malformed(riconnect_app: App, value: str) -> None:
    body = error_of(riconnect_app, "DescribeVpcs", {**HZ, "PageSize": value})
    assert body["Code"] == "InvalidParameter" and '"PageSize"' in body["Message"]


@pytest.mark.parametrize(("value", "parsed"), [("7", 7), ("+7", 7), ("007", 7), ("50", 50)])
def test_integers_accepted(riconnect_app: App, value: str, parsed: int) -> None:
    assert invoke(riconnect_app, "DescribeVpcs", {**HZ, "PageSize": value})["PageSize"] == parsed


def test_string_too_long(riconnect_app: App) -> None:
    body = error_of(riconnect_app, "CreateVpc", {**HZ, "ClientToken": "x" * 65})
    assert body["Code"] == "InvalidParameter" and '"ClientToken"' in body["Message"]


def test_enum_checked(riconnect_app: App) -> None:
    body = error_of(riconnect_app, "CreateVpc", {**HZ, "Ipv6Isp": "Carrier-Pigeon"})
    assert body["Code"] == "InvalidParameter" and '"Ipv6Isp"' in body["Message"]


# -- the rest of the protocol, in-process --------------------------------------------------


def test_xml_in_process(riconnect_app: App) -> None:
    vpc = create(riconnect_app, {"VpcName": "x"})
    ok = signed_request(
        riconnect_app, "DescribeVpcAttribute", {**HZ, "VpcId": vpc["VpcId"], "Format": "xml"}
    )
    root = ET.fromstring(ok.content)
    assert root.tag == "DescribeVpcAttributeResponse"
    assert root.findtext("VpcId") == vpc["VpcId"]
    assert root.findtext("IsDefault") == "false"
    err = signed_request(riconnect_app, "DescribeVpcAttribute", {**HZ, "Format": "XML"})
    assert ET.fromstring(err.content).findtext("Code") == "MissingParameter"


def test_signatures_use_the_injected_clock(riconnect_app: App) -> None:
    # The FakeClock is far from the real time: a request stamped now is out of its window.
    body = error_of(riconnect_app, "DescribeVpcs", HZ, timestamp=time.time())
    assert body["Code"] == "IllegalTimestamp"
    clock = riconnect_app.cloud.clock
    assert invoke(riconnect_app, "DescribeVpcs", HZ, timestamp=clock.now() + 14 * 60)


def test_body_limit_in_process() -> None:
    app, cloud = inprocess_app(max_body=100)
    try:
        body = error_of(app, "DescribeVpcs", HZ, form={"Pad": "x" * 200})
        assert (body["status"], body["Code"]) == (413, "RequestTooLarge")
        assert invoke(app, "DescribeVpcs", HZ, form={"Pad": "x" * 10})
    finally:
        cloud.executor.shutdown()


def test_invoke_raises_envelope(riconnect_app: App) -> None:
    with pytest.raises(RiconnectApiError) as info:
        invoke(riconnect_app, "DescribeVpcAttribute", {**HZ, "VpcId": "vpc-none00000000"})
    assert info.value.status == 404 and info.value.code == "InvalidVpcID.NotFound"
    assert info.value.request_id


# -- headers as the signature sees them ----------------------------------------------------


def send_raw(app: App, url: str, headers: list[tuple[str, Any]]) -> httpx.Response:
    """A request with exactly these header lines (repeats and raw bytes kept)."""
    return send(app, PreparedRequest("POST", url, headers))


def v3_headers(app: App, extra: dict[str, str]) -> dict[str, str]:
    base = {
        "host": "riconnect.test",
        "x-acs-action": "DescribeVpcs",
        "x-acs-version": "2016-04-28",
        **extra,
    }
    return sign_v3(
        "POST",
        "/",
        [("RegionId", "cn-hangzhou")],
        base,
        b"",
        DEMO_ACCESS_KEY_ID,
        DEMO_ACCESS_KEY_SECRET,
        timestamp=app.cloud.clock.now(),
    )


def test_v3_repeated_header_is_canonicalised_sorted(riconnect_app: App) -> None:
    # V3 signature: several values of one signed header are sorted and comma-joined.
    signed = v3_headers(riconnect_app, {"x-acs-meta": "a,b"})
    lines = [(k, v) for k, v in signed.items() if k != "x-acs-meta"]
    lines += [("x-acs-meta", "b"), ("x-acs-meta", "a")]
    response = send_raw(riconnect_app, "http://riconnect.test/?RegionId=cn-hangzhou", lines)
    assert response.status_code == 200, response.text


def test_v3_utf8_header_value(riconnect_app: App) -> None:
    # Go clients send header values as UTF-8 bytes; the client signed the decoded text.
    signed = v3_headers(riconnect_app, {"x-acs-note": "café"})
    lines = [(k, v.encode("utf-8")) for k, v in signed.items()]
    response = send_raw(riconnect_app, "http://riconnect.test/?RegionId=cn-hangzhou", lines)
    assert response.status_code == 200, response.text


def test_v1_action_is_never_taken_from_unsigned_headers(riconnect_app: App) -> None:
    signed = sign_v1(
        "POST",
        [("RegionId", "cn-hangzhou")],
        DEMO_ACCESS_KEY_ID,
        DEMO_ACCESS_KEY_SECRET,
        timestamp=riconnect_app.cloud.clock.now(),
    )
    url = "http://riconnect.test/?" + urlencode(signed, quote_via=quote)
    lines = [("x-acs-action", "CreateVpc"), ("x-acs-version", "2016-04-28")]
    response = send_raw(riconnect_app, url, lines)
    assert response.status_code == 400, response.text
    assert response.json()["Code"] == "MissingParameter"
