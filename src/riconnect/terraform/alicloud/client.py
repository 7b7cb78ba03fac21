"""The provider's only way to the cloud: :class:`AliClient`, over the official SDK
(alibabacloud_vpc20160428, alibabacloud_sts20150401).

The same code talks to riconnect or, with real credentials and no endpoint override, to
Alibaba Cloud.  Requests and answers are plain dicts with the API's own field names
(``CreateRouterInterface`` → ``{"RouterInterfaceId": ...}``), built through the SDK's
request models so that the SDK signs and sends them exactly as for any user.

Transient errors are retried with backoff (honouring ``x-acs-retry-after``) until the
operation's deadline; other errors surface as :class:`CloudError`.  The provider builds
one client per process and hands it to every resource through ``configure``.
"""

from __future__ import annotations

import logging
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

from riconnect.terraform.plugin.diagnostics import DiagnosticError

log = logging.getLogger("riconnect.terraform.client")

# A call's deadline when the caller gives none (retries included).
DEFAULT_TIMEOUT = 300.0
# Codes that clear up on their own: the real service's flow control and short conflicts.
RETRYABLE_CODES = ("Throttling", "ServiceUnavailable", "OperationConflict", "SystemBusy")
# 5xx answers that are business errors, not outages: retrying cannot help.
FINAL_5XX = frozenset({"InvalidRouterInterfaceChargeType.Malformed"})


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


def _snake(action: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


@dataclass
class ClientConfig:
    access_key: str
    secret_key: str
    region: str
    security_token: str = ""
    vpc_endpoint: str = ""  # host[:port], optionally with a scheme
    sts_endpoint: str = ""
    protocol: str = "HTTPS"
    account_id: str = ""  # the main account's id if configured; else asked from STS
    # Other products' endpoints ("ecs", "resourcemanager"): host[:port], optionally a scheme.
    endpoints: dict[str, str] = field(default_factory=dict)


class _Answer:
    """A generic call's body, shaped like an SDK response (``.body.to_map()``)."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = self
        self._map = body

    def to_map(self) -> dict[str, Any]:
        return self._map


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
        self._rpc: dict[str, Any] = {}
        self._account_id = config.account_id

    def _open_api_config(self, endpoint: str) -> Any:
        from alibabacloud_tea_openapi import models as open_api

        cfg = open_api.Config(
            access_key_id=self.config.access_key,
            access_key_secret=self.config.secret_key,
            security_token=self.config.security_token or None,
            region_id=self.config.region,
            read_timeout=60_000,
            connect_timeout=10_000,
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
    ) -> dict[str, Any]:
        """Run one Vpc action with retries; ``RegionId`` defaults to the provider's region."""
        from alibabacloud_vpc20160428 import models

        params = {
            "RegionId": self.config.region,
            **{k: v for k, v in params.items() if v is not None},
        }
        request = getattr(models, f"{action}Request")().from_map(params)
        method = getattr(self.vpc, _snake(action))
        return self._with_retries(action, lambda: method(request), timeout, retry_codes)

    def rpc(
        self,
        product: str,
        version: str,
        action: str,
        params: dict[str, Any],
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> dict[str, Any]:
        """One action of another product (``ecs``, ``resourcemanager``), through the SDK's
        generic RPC call: the provider needs one or two actions of each, not their SDKs.
        The endpoint is the product's own from ``endpoints``/the environment, else the VPC
        endpoint's (riconnect serves every product on one port), else the public one."""
        from alibabacloud_tea_openapi import utils_models
        from alibabacloud_tea_openapi.client import Client
        from alibabacloud_tea_openapi.utils import Utils
        from darabonba.runtime import RuntimeOptions

        if product not in self._rpc:
            endpoint = (
                self.config.endpoints.get(product)
                or self.config.vpc_endpoint
                or f"{product}.aliyuncs.com"
            )
            self._rpc[product] = Client(self._open_api_config(endpoint))
        client = self._rpc[product]
        spec = utils_models.Params(
            action=action,
            version=version,
            protocol=self.config.protocol.upper(),
            pathname="/",
            method="POST",
            auth_type="AK",
            style="RPC",
            req_body_type="formData",
            body_type="json",
        )
        query = {k: str(v) for k, v in params.items() if v is not None}
        request = utils_models.OpenApiRequest(query=Utils.query(query))

        def send() -> Any:
            answer = client.call_api(spec, request, RuntimeOptions())
            return _Answer(answer.get("body") or {})

        return self._with_retries(action, send, timeout, ())

    def caller_identity(self) -> dict[str, Any]:
        return self._with_retries(
            "GetCallerIdentity", lambda: self.sts.get_caller_identity(), 120.0, ()
        )

    def account_id(self) -> str:
        """The caller's main account id: ``account_id``, else STS GetCallerIdentity."""
        if not self._account_id:
            self._account_id = str(self.caller_identity().get("AccountId", ""))
        return self._account_id

    def _with_retries(
        self, action: str, send: Any, timeout: float, retry_codes: tuple[str, ...]
    ) -> dict[str, Any]:
        from Tea.exceptions import TeaException

        deadline = time.monotonic() + timeout
        delay = 0.5
        attempt = 0
        while True:
            attempt += 1
            try:
                response = send()
                body: dict[str, Any] = response.body.to_map()
                return body
            except TeaException as exc:
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
