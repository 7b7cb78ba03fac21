"""The provider's only way to the cloud: :class:`AliClient`, sending what the official SDKs
(alibabacloud_vpc20160428, alibabacloud_ecs20140526, alibabacloud_sts20150401) send.

BssOpenApi and ResourceManager, of which the provider needs one or two actions, go through
the SDK's generic OpenAPI client rather than their own SDKs.

The same code talks to riconnect or, with real credentials and no endpoint override, to
Alibaba Cloud.  Requests and answers are plain dicts with the API's own field names
(``CreateRouterInterface`` → ``{"RouterInterfaceId": ...}``).  With an endpoint given
(riconnect's case) and no proxy in the environment, the actions of openapi_actions.py go
through the lean client of openapi.py: the SDK's requests byte for byte, without the 0.5 s
import of the SDK in every provider process.  Everything else goes through the SDK's own
clients and request models, so that the SDK signs and sends it exactly as for any user.

Transient errors are retried with backoff (honouring ``x-acs-retry-after``) until the
operation's deadline; other errors surface as :class:`CloudError`.  The provider builds
one client per process and hands it to every resource through ``configure``.
"""

from __future__ import annotations

import logging
import os
import random
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from riconnect.terraform.plugin.diagnostics import DiagnosticError

if TYPE_CHECKING:  # imported on the first call: a provider process started only for its
    # schema (Terraform starts several per command) never needs them
    from riconnect.terraform.alicloud import openapi

log = logging.getLogger("riconnect.terraform.client")

# A call's deadline when the caller gives none (retries included).
DEFAULT_TIMEOUT = 300.0
# Per attempt, in seconds.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
# Codes that clear up on their own: the real service's flow control and short conflicts.
RETRYABLE_CODES = ("Throttling", "ServiceUnavailable", "OperationConflict", "SystemBusy")
# 5xx answers that are business errors, not outages: retrying cannot help.
FINAL_5XX = frozenset({"InvalidRouterInterfaceChargeType.Malformed"})
# The API versions of the products sent through the generic OpenAPI client.
GENERIC_VERSIONS = {"bss": "2017-12-14", "resourcemanager": "2020-03-31"}


class CloudError(DiagnosticError):
    """An error answer of the API.  A :class:`DiagnosticError`, so that an uncaught one
    reaches the user as a plain Terraform error (with the RequestId that support asks for)
    rather than as a provider failure."""

    def __init__(
        self, action: str, code: str, message: str, status: int | None, request_id: str | None
    ) -> None:
        self.action = action
        self.code = code
        self.message = message
        self.status = status
        self.request_id = request_id
        where = ", ".join(
            part
            for part in (
                f"HTTP {status}" if status else "",
                f"RequestId {request_id}" if request_id else "",
            )
            if part
        )
        super().__init__(
            f"{action} failed: {code}: {message}",
            f"The cloud refused the request ({where})." if where else "",
        )

    @property
    def not_found(self) -> bool:
        # As the Go provider classifies it: HTTP 404, or "NotFound" in the code/message.
        return self.status == 404 or "NotFound" in self.code or "NotFound" in self.message


def _api_failures() -> tuple[type[Exception], ...]:
    """The error answers: the lean client's, and the SDK's when it is loaded (importing its
    exceptions only to catch them would cost the import the lean client avoids)."""
    import sys

    from riconnect.terraform.alicloud import openapi

    tea = sys.modules.get("Tea.exceptions")
    if tea is None:
        return (openapi.ApiFailure, openapi.TransportError)
    return (openapi.ApiFailure, openapi.TransportError, tea.TeaException)


def _snake(action: str) -> str:
    # The SDKs write "VSwitch" as one word: CreateVSwitch -> create_vswitch.
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action.replace("VSwitch", "Vswitch")).lower()


@dataclass
class ClientConfig:
    access_key: str
    secret_key: str
    region: str
    security_token: str = ""
    vpc_endpoint: str = ""  # host[:port], optionally with a scheme
    sts_endpoint: str = ""
    ecs_endpoint: str = ""
    bss_endpoint: str = ""  # BssOpenApi; Alibaba's business.aliyuncs.com when unset
    resourcemanager_endpoint: str = ""  # resourcemanager.aliyuncs.com when unset
    protocol: str = "HTTPS"
    account_id: str = ""  # the main account's id if configured; else asked from STS


def split_endpoint(endpoint: str, protocol: str) -> tuple[str, str]:
    """("http://127.0.0.1:9000", "HTTPS") -> ("127.0.0.1:9000", "http"): a scheme on the
    endpoint wins over the provider's protocol (the SDK wants host:port without one)."""
    endpoint = endpoint.strip().rstrip("/")
    match = re.match(r"^(https?)://(.+)$", endpoint, re.IGNORECASE)
    if match:
        return match.group(2), match.group(1).lower()
    return endpoint, protocol.lower()


class AliClient:
    """A thin, retrying wrapper over the official SDK clients."""

    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self._vpc: Any = None
        self._sts: Any = None
        self._ecs: Any = None
        self._generic: dict[str, Any] = {}  # product -> the generic OpenAPI client
        self._account_id = config.account_id
        self._lean: dict[str, openapi.Connection | None] = {}

    def _lean_connection(self, product: str) -> openapi.Connection | None:
        """The lean client's connection to ``product``'s endpoint; None when the SDK must
        send (no endpoint given: the SDK's endpoint rules pick one; or a proxy is set,
        which the SDK honours)."""
        from riconnect.terraform.alicloud import openapi

        if product not in self._lean:
            endpoint = self.config.vpc_endpoint if product == "Vpc" else self.config.sts_endpoint
            if product == "Sts":
                endpoint = endpoint or "sts.aliyuncs.com"
            proxied = any(
                os.environ.get(name)
                for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy")
            )
            conn = None
            if endpoint and not proxied:
                host, scheme = split_endpoint(endpoint, self.config.protocol)
                conn = openapi.Connection(host, scheme, CONNECT_TIMEOUT, READ_TIMEOUT)
            self._lean[product] = conn
        return self._lean[product]

    def _lean_send(self, product: str, action: str, params: dict[str, Any]) -> Any:
        """A ``send`` for :meth:`_with_retries` through the lean client, or None."""
        from riconnect.terraform.alicloud import openapi
        from riconnect.terraform.alicloud.openapi_actions import ACTIONS

        conn = self._lean_connection(product)
        if conn is None or (product, action) not in ACTIONS:
            return None
        credentials = openapi.Credentials(
            self.config.access_key, self.config.secret_key, self.config.security_token
        )

        def send() -> dict[str, Any]:
            # A fresh date and nonce for every attempt, as the SDK makes.
            request = openapi.prepare(product, action, params, conn.host, credentials)
            return openapi.answer(*conn.send(request))

        return send

    def _open_api_config(self, endpoint: str) -> Any:
        from alibabacloud_tea_openapi import models as open_api

        cfg = open_api.Config(
            access_key_id=self.config.access_key,
            access_key_secret=self.config.secret_key,
            security_token=self.config.security_token or None,
            region_id=self.config.region,
            read_timeout=int(READ_TIMEOUT * 1000),
            connect_timeout=int(CONNECT_TIMEOUT * 1000),
        )
        if endpoint:
            cfg.endpoint, cfg.protocol = split_endpoint(endpoint, self.config.protocol)
        else:
            cfg.protocol = self.config.protocol.lower()
        return cfg

    @property
    def vpc(self) -> Any:
        if self._vpc is None:
            from alibabacloud_vpc20160428.client import Client

            self._vpc = Client(self._open_api_config(self.config.vpc_endpoint))
        return self._vpc

    @property
    def ecs(self) -> Any:
        if self._ecs is None:
            from alibabacloud_ecs20140526.client import Client

            self._ecs = Client(self._open_api_config(self.config.ecs_endpoint))
        return self._ecs

    @property
    def sts(self) -> Any:
        if self._sts is None:
            from alibabacloud_sts20150401.client import Client

            endpoint = self.config.sts_endpoint or "sts.aliyuncs.com"
            self._sts = Client(self._open_api_config(endpoint))
        return self._sts

    # -- calls --------------------------------------------------------------------------

    def call(
        self,
        action: str,
        params: dict[str, Any],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry_codes: tuple[str, ...] = (),
        product: str = "vpc",
    ) -> dict[str, Any]:
        """Run one action of ``product`` (``vpc`` or ``ecs``) with retries; ``RegionId``
        defaults to the provider's region."""
        params = {
            "RegionId": self.config.region,
            **{k: v for k, v in params.items() if v is not None},
        }
        send = self._lean_send("Vpc", action, params) if product == "vpc" else None
        if send is None:
            if product == "ecs":
                from alibabacloud_ecs20140526 import models
            else:
                from alibabacloud_vpc20160428 import models

            request = getattr(models, f"{action}Request")().from_map(params)
            method = getattr(self.ecs if product == "ecs" else self.vpc, _snake(action))

            def send() -> dict[str, Any]:
                result: dict[str, Any] = method(request).body.to_map()
                return result

        return self._with_retries(action, send, timeout, retry_codes)

    def bss_call(
        self, action: str, params: dict[str, Any], *, timeout: float = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        """One BssOpenApi 2017-12-14 action (no RegionId).  BSS reports business failures
        as HTTP 200 with ``Success: false``: those are errors here too (the Go provider's
        client takes them for success and then waits in vain)."""
        body = self._generic_call(
            "bss", action, params, self.config.bss_endpoint or "business.aliyuncs.com", timeout
        )
        if body.get("Success") is False:
            raise CloudError(
                action,
                str(body.get("Code") or "Unknown"),
                str(body.get("Message") or ""),
                200,
                body.get("RequestId"),
            )
        return body

    def resource_manager_call(
        self, action: str, params: dict[str, Any], *, timeout: float = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        """One ResourceManager 2020-03-31 action (a global API: no RegionId)."""
        endpoint = self.config.resourcemanager_endpoint or "resourcemanager.aliyuncs.com"
        return self._generic_call("resourcemanager", action, params, endpoint, timeout)

    def _generic_call(
        self, product: str, action: str, params: dict[str, Any], endpoint: str, timeout: float
    ) -> dict[str, Any]:
        """An action of a product whose SDK is no dependency (the provider needs one or two
        of its actions): the generic OpenAPI client signs it as that SDK would."""
        from alibabacloud_tea_openapi import utils_models
        from alibabacloud_tea_openapi.client import Client
        from darabonba.runtime import RuntimeOptions

        if product not in self._generic:
            self._generic[product] = Client(self._open_api_config(endpoint))
        client = self._generic[product]
        spec = utils_models.Params(
            action=action,
            version=GENERIC_VERSIONS[product],
            protocol=self._open_api_config(endpoint).protocol or "https",
            pathname="/",
            method="POST",
            auth_type="AK",
            style="RPC",
            req_body_type="formData",
            body_type="json",
        )
        query = {k: str(v) for k, v in params.items() if v is not None}

        def send() -> dict[str, Any]:
            result = client.call_api(
                spec, utils_models.OpenApiRequest(query=query), RuntimeOptions()
            )
            body: dict[str, Any] = result.get("body") or {}
            return body

        return self._with_retries(action, send, timeout, ())

    def caller_identity(self) -> dict[str, Any]:
        send = self._lean_send("Sts", "GetCallerIdentity", {})
        if send is None:

            def send() -> dict[str, Any]:
                result: dict[str, Any] = self.sts.get_caller_identity().body.to_map()
                return result

        return self._with_retries("GetCallerIdentity", send, 120.0, ())

    def account_id(self) -> str:
        """The caller's main account id: ``account_id``, else STS GetCallerIdentity."""
        if not self._account_id:
            self._account_id = str(self.caller_identity().get("AccountId", ""))
        return self._account_id

    def _with_retries(
        self, action: str, send: Any, timeout: float, retry_codes: tuple[str, ...]
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        delay = 0.5
        attempt = 0
        while True:
            attempt += 1
            try:
                body: dict[str, Any] = send()
                return body
            except _api_failures() as exc:
                err = self._error(action, exc)
                wait = self._retry_after(exc, err, retry_codes, delay)
                if wait is None or time.monotonic() + wait > deadline:
                    raise err from None
                log.info("%s: %s, retry %d in %.1fs", action, err.code, attempt, wait)
                time.sleep(wait)
                delay = min(delay * 2, 10.0)
            except OSError as exc:  # connection refused/reset: the endpoint may be restarting
                if time.monotonic() + delay > deadline:
                    raise CloudError(action, "ConnectionError", str(exc), None, None) from None
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
            except Exception as exc:
                # darabonba wraps transport failures in its own exception types
                if "Unretryable" in type(exc).__name__ or "Retryable" in type(exc).__name__:
                    if time.monotonic() + delay > deadline:
                        raise CloudError(
                            action, "ConnectionError", str(exc)[:500], None, None
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 10.0)
                    continue
                raise

    @staticmethod
    def _error(action: str, exc: Any) -> CloudError:
        data = getattr(exc, "data", None) or {}
        message = data.get("Message") or getattr(exc, "message", "") or str(exc)
        return CloudError(
            action,
            str(getattr(exc, "code", "") or data.get("Code") or "Unknown"),
            str(message),
            getattr(exc, "status_code", None) or data.get("statusCode"),
            getattr(exc, "request_id", None) or data.get("RequestId"),
        )

    @staticmethod
    def _retry_after(
        exc: Any, err: CloudError, retry_codes: tuple[str, ...], delay: float
    ) -> float | None:
        transient = any(code in err.code for code in RETRYABLE_CODES) or (
            err.status is not None and err.status >= 500 and err.code not in FINAL_5XX
        )
        if not transient and err.code not in retry_codes:
            return None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            return float(retry_after) / 1000.0
        return delay * (0.5 + random.random())
