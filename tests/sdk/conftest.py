"""Fixtures of the live-server tests.

One interface over the three official clients, so each scenario runs through all of them:

* ``tea-v3``: ``alibabacloud_vpc20160428`` with its default ACS3-HMAC-SHA256 signer;
* ``tea-v1``: the same SDK with ``signature_algorithm='v2'`` (the HMAC-SHA1 signer);
* ``core``: ``aliyun-python-sdk-vpc`` request classes on ``aliyun-python-sdk-core``.

Requests and answers use wire names (``VpcName``, ``Tag``) so one test body serves every
client: the V2 models are built with ``from_map`` and read back with ``to_map`` (which keep
the wire names and the types the server sent); core's raw JSON is decoded.  Errors are
checked on the exception each SDK really raises (see :meth:`Sdk.raises`).

The router-interface tests' servers (``ri_start_cloud``, ``ri_cloud``, ``ri_slow_cloud``) load
the accounts of ``tests.support.router_interface``; ``api_a`` .. ``api_d`` sign as each of them.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.exceptions import ClientException as TeaClientException
from alibabacloud_tea_openapi.exceptions import ServerException as TeaServerException
from alibabacloud_vpc20160428 import models as vpc_models
from aliyunsdkcore.acs_exception.exceptions import ServerException as CoreServerException
from aliyunsdkcore.request import CommonRequest
from darabonba.runtime import RuntimeOptions
from Tea.exceptions import TeaException

from riconnect.testing import (
    DEFAULT_REGION,
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    VPC_VERSION,
    LiveCloud,
    acs_client,
    vpc_client,
)
from riconnect.testing.accounts import write_accounts
from tests.support.router_interface import (
    ACCOUNTS,
    KEY_B,
    KEY_C,
    KEY_D,
    SECRET_B,
    SECRET_C,
    SECRET_D,
    Api,
)

KINDS = ("tea-v3", "tea-v1", "core")
ENVELOPE = {"RequestId", "HostId", "Code", "Message", "Recommend"}
REQUEST_ID_RE = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def snake(name: str) -> str:
    # The SDK writes "VSwitch" as one word: CreateVSwitch -> create_vswitch.
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.replace("VSwitch", "Vswitch")).lower()


@dataclass
class Caught:
    """What an SDK exception told us."""

    code: str = ""
    status: int | None = None
    message: str = ""
    request_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def server_message(self) -> str:
        """The server's Message (the V2 SDK wraps it with the status and RequestId)."""
        return str(self.data.get("Message", self.message))


class Sdk:
    def __init__(
        self,
        kind: str,
        endpoint: str,
        *,
        region: str = DEFAULT_REGION,
        ak: str = DEMO_ACCESS_KEY_ID,
        sk: str = DEMO_ACCESS_KEY_SECRET,
    ) -> None:
        self.kind = kind
        self.endpoint = endpoint
        self.region = region
        if kind == "core":
            self.client = acs_client(endpoint, region, ak, sk)
        else:
            algorithm = "v2" if kind == "tea-v1" else None
            self.client = vpc_client(endpoint, ak, sk, signature_algorithm=algorithm)
        self.last_model: Any = None  # the V2 SDK's response body model of the last call

    def __repr__(self) -> str:
        return f"<Sdk {self.kind} {self.endpoint} {self.region}>"

    @property
    def is_core(self) -> bool:
        return self.kind == "core"

    # -- modelled actions
    def action(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call ``name`` through the SDK's own request class; returns the JSON body."""
        params = dict(params or {})
        if name != "DescribeRegions":
            params.setdefault("RegionId", self.region)
        if self.is_core:
            return self._core_action(name, params)
        request = getattr(vpc_models, f"{name}Request")().from_map(params)
        response = getattr(self.client, snake(name))(request)
        assert response.status_code == 200
        self.last_model = response.body
        body: dict[str, Any] = response.body.to_map()
        return body

    def _core_action(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        module = importlib.import_module(f"aliyunsdkvpc.request.v20160428.{name}Request")
        request = getattr(module, f"{name}Request")()
        region = params.pop("RegionId", None)
        if region is not None and region != self.region:
            # The V1 request classes have no set_RegionId; the client's region is sent.
            request.add_query_param("RegionId", region)
        for key, value in params.items():
            setter = "set_Tags" if key == "Tag" else f"set_{key}"
            getattr(request, setter)(value)
        return json.loads(self.client.do_action_with_exception(request))

    def create_vpc(self, **params: Any) -> dict[str, Any]:
        return self.action("CreateVpc", params)

    def describe_vpcs(self, **params: Any) -> dict[str, Any]:
        return self.action("DescribeVpcs", params)

    def describe_vpc(self, vpc_id: str, **params: Any) -> dict[str, Any]:
        return self.action("DescribeVpcAttribute", {"VpcId": vpc_id, **params})

    def modify_vpc(self, vpc_id: str, **params: Any) -> dict[str, Any]:
        return self.action("ModifyVpcAttribute", {"VpcId": vpc_id, **params})

    def delete_vpc(self, vpc_id: str, **params: Any) -> dict[str, Any]:
        return self.action("DeleteVpc", {"VpcId": vpc_id, **params})

    def ids(self, vpc_ids: list[str], **params: Any) -> set[str]:
        """Which of ``vpc_ids`` DescribeVpcs lists (filtering by them)."""
        body = self.describe_vpcs(VpcId=",".join(vpc_ids), PageSize=50, **params)
        return {v["VpcId"] for v in body["Vpcs"]["Vpc"]}

    # -- any action, through the SDK's generic path
    def call(
        self,
        action: str,
        query: dict[str, Any] | None = None,
        *,
        version: str = VPC_VERSION,
        form: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """V2: ``call_api`` with ``Params``/``OpenApiRequest``; core: ``CommonRequest``."""
        query = {k: str(v) for k, v in (query or {}).items()}
        if self.is_core:
            request = CommonRequest(domain=self.endpoint, version=version, action_name=action)
            request.set_method("POST")
            for key, value in query.items():
                request.add_query_param(key, value)
            for key, value in (form or {}).items():
                request.add_body_params(key, value)
            return json.loads(self.client.do_action_with_exception(request))
        params = utils_models.Params(
            action=action,
            version=version,
            protocol="HTTP",
            pathname="/",
            method="POST",
            auth_type="AK",
            style="RPC",
            req_body_type="formData",
            body_type="json",
        )
        request = utils_models.OpenApiRequest(query=query, body=form)
        result = self.client.call_api(params, request, RuntimeOptions())
        assert result["statusCode"] == 200
        body: dict[str, Any] = result["body"]
        return body

    # -- errors
    @contextlib.contextmanager
    def raises(self, code: str, status: int | None = None) -> Iterator[Caught]:
        """Expect the SDK's exception for an error answer ``code`` (HTTP ``status``).

        V2 SDK: ``ClientException`` (4xx) / ``ServerException`` (5xx), both ``TeaException``,
        ``.code``, ``.status_code``, ``.request_id``, ``.data`` = the body.  Core:
        ``ServerException.get_error_code()``, ``.get_http_status()``, ``.get_request_id()``.
        """
        caught = Caught()
        if self.is_core:
            with pytest.raises(CoreServerException) as info:
                yield caught
            core = info.value
            caught.code = core.get_error_code()
            caught.status = core.get_http_status()
            caught.message = core.get_error_msg()
            caught.request_id = core.get_request_id()
        else:
            with pytest.raises(TeaException) as info:
                yield caught
            tea: Any = info.value
            caught.code = tea.code
            caught.status = tea.status_code
            caught.message = tea.message
            caught.request_id = tea.request_id
            caught.data = dict(tea.data or {})
            expected = TeaClientException if (status or 400) < 500 else TeaServerException
            assert isinstance(tea, expected), f"{type(tea).__name__}: {tea}"
            assert set(caught.data) >= ENVELOPE, caught.data
            assert caught.data["Code"] == caught.code
        assert caught.code == code, caught
        if status is not None:
            assert caught.status == status, caught
        assert caught.request_id and REQUEST_ID_RE.match(caught.request_id), caught


SdkFactory = Callable[..., Sdk]


@pytest.fixture(params=KINDS)
def sdk_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def make_sdk(sdk_kind: str) -> SdkFactory:
    """``make_sdk(cloud, region=..., ak=..., sk=...)`` -> an :class:`Sdk` of this test's kind."""

    def make(cloud: LiveCloud | str, **kwargs: Any) -> Sdk:
        endpoint = cloud.endpoint if isinstance(cloud, LiveCloud) else cloud
        return Sdk(sdk_kind, endpoint, **kwargs)

    return make


@pytest.fixture
def sdk(make_sdk: SdkFactory, riconnect_cloud: LiveCloud) -> Sdk:
    """The demo account on the session cloud, through each of the three clients."""
    return make_sdk(riconnect_cloud)


# -- router interfaces: live servers with the accounts of tests.support.router_interface --


@pytest.fixture(scope="session")
def ri_accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_accounts(tmp_path_factory.mktemp("ri-accounts") / "accounts.toml", ACCOUNTS)


@pytest.fixture(scope="session")
def ri_start_cloud(
    tmp_path_factory: pytest.TempPathFactory, ri_accounts_file: Path
) -> Iterator[Callable[..., LiveCloud]]:
    """Start a ``riconnect serve`` subprocess on a SQLite file (its own, or ``db=``) with
    ``ACCOUNTS``; every server started through this is stopped at the end of the
    session."""
    started: list[LiveCloud] = []

    def start(**options: Any) -> LiveCloud:
        workdir = tmp_path_factory.mktemp("ri-cloud")
        options.setdefault("accounts", ri_accounts_file)
        options.setdefault("vpc_quota", 100_000)
        options.setdefault("log_level", "warning")
        db = options.pop("db", workdir / "riconnect.db")
        cloud = LiveCloud(db, workdir=workdir, **options)
        started.append(cloud)
        return cloud.start()

    yield start
    for cloud in started:
        cloud.stop()


@pytest.fixture(scope="session")
def ri_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    """The shared server: immediate transitions; tests use unique VPCs and filter by id."""
    return ri_start_cloud(transitions="immediate")


SLOW = (
    "ri_connect=120,ri_activate=120,ri_deactivate=120,ri_delete=120,ri_modify_spec=120,"
    "vpc_delete=120,vbr_delete=120"
)


@pytest.fixture(scope="session")
def ri_slow_cloud(ri_start_cloud: Callable[..., LiveCloud]) -> LiveCloud:
    """Transitions that last two minutes (only VPC creation is immediate): whatever is
    started during a test stays in its intermediate state for the rest of the test."""
    return ri_start_cloud(transitions=SLOW)


@pytest.fixture(scope="session")
def api_slow(ri_slow_cloud: LiveCloud) -> Api:
    return Api(ri_slow_cloud, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)


@pytest.fixture(scope="session")
def api_a(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)


@pytest.fixture(scope="session")
def api_b(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, KEY_B, SECRET_B)


@pytest.fixture(scope="session")
def api_c(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, KEY_C, SECRET_C)


@pytest.fixture(scope="session")
def api_d(ri_cloud: LiveCloud) -> Api:
    return Api(ri_cloud, KEY_D, SECRET_D)


@pytest.fixture(scope="session", params=["v3", "v2"])
def v2_client(request: pytest.FixtureRequest, ri_cloud: LiveCloud) -> Any:
    """``alibabacloud_vpc20160428`` client of the demo account: default (V3, ACS3-HMAC-SHA256)
    signing and ``signature_algorithm='v2'`` (HMAC-SHA1)."""
    algorithm = None if request.param == "v3" else "v2"
    return vpc_client(ri_cloud, signature_algorithm=algorithm)


@pytest.fixture(scope="session")
def v1_client(ri_cloud: LiveCloud) -> Any:
    """``aliyun-python-sdk-core`` client in cn-hangzhou with an explicit endpoint."""
    return acs_client(ri_cloud, "cn-hangzhou")
