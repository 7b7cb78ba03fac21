"""Provider ``alicloud``: configuration, credentials and endpoints, as the real provider reads them.

Environment variables are the real provider's: ``ALICLOUD_*`` and ``ALIBABA_CLOUD_*``
for credentials and region, and ``ALIBABA_CLOUD_ENDPOINT_VPC`` / ``VPC_ENDPOINT`` (likewise
STS) for endpoints.  An endpoint may carry its scheme (``http://127.0.0.1:18080``).
"""

from __future__ import annotations

import os
from typing import Any

from riconnect.terraform.alicloud.client import ClientConfig, Cloud
from riconnect.terraform.plugin import (
    UNKNOWN,
    Attribute,
    Block,
    Diagnostics,
    NestedBlock,
    Nesting,
    Provider,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.validators import one_of

DEFAULT_REGION = "cn-beijing"  # the real provider's default


def _env(*names: str) -> str:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return ""


class AlicloudProvider(Provider):
    type_name = "alicloud"
    schema = Schema(
        Block(
            attributes=[
                Attribute(
                    "access_key",
                    String,
                    optional=True,
                    description="AccessKey id (ALICLOUD_ACCESS_KEY).",
                ),
                Attribute(
                    "secret_key",
                    String,
                    optional=True,
                    sensitive=True,
                    description="AccessKey secret (ALICLOUD_SECRET_KEY).",
                ),
                Attribute("security_token", String, optional=True, sensitive=True),
                Attribute(
                    "region", String, optional=True, description="Region id (ALICLOUD_REGION)."
                ),
                Attribute(
                    "account_id",
                    String,
                    optional=True,
                    description="Main account id (ALICLOUD_ACCOUNT_ID).",
                ),
                Attribute(
                    "protocol", String, optional=True, validators=[one_of(["HTTP", "HTTPS"])]
                ),
            ],
            blocks=[
                NestedBlock(
                    "endpoints",
                    Block(
                        attributes=[
                            Attribute(
                                "vpc",
                                String,
                                optional=True,
                                description="VPC API endpoint host[:port].",
                            ),
                            Attribute(
                                "sts",
                                String,
                                optional=True,
                                description="STS API endpoint host[:port].",
                            ),
                        ]
                    ),
                    nesting=Nesting.SET,
                )
            ],
        )
    )

    def __init__(self) -> None:
        super().__init__()
        self._cloud: Cloud | None = None
        self._account_id = ""
        self.region = DEFAULT_REGION

    @property
    def resources(self) -> Any:  # type: ignore[override]
        from riconnect.terraform.alicloud.resources import RESOURCES

        return RESOURCES

    @property
    def data_sources(self) -> Any:  # type: ignore[override]
        from riconnect.terraform.alicloud.resources import DATA_SOURCES

        return DATA_SOURCES

    def configure(self, config: State, diags: Diagnostics) -> None:
        for name, value in config.items():
            if value is UNKNOWN:
                diags.error(
                    "Provider configuration is not known yet",
                    f"'{name}' depends on a value that is only known after apply.",
                    path=(name,),
                )
                return
        endpoints: dict[str, str] = {}
        for block in config.get("endpoints") or []:
            endpoints.update({k: v for k, v in block.items() if v})
        access_key = config.get("access_key") or _env(
            "ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID"
        )
        secret_key = config.get("secret_key") or _env(
            "ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
        )
        self.region = (
            config.get("region")
            or _env("ALICLOUD_REGION", "ALIBABA_CLOUD_REGION")
            or DEFAULT_REGION
        )
        if not access_key or not secret_key:
            diags.error(
                "No credentials for alicloud",
                "Set access_key and secret_key in the provider block, or the environment "
                "variables ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY.",
            )
            return
        self._account_id = config.get("account_id") or _env(
            "ALICLOUD_ACCOUNT_ID", "ALIBABA_CLOUD_ACCOUNT_ID"
        )
        self._cloud = Cloud(
            ClientConfig(
                access_key=access_key,
                secret_key=secret_key,
                security_token=config.get("security_token")
                or _env("ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"),
                region=self.region,
                vpc_endpoint=endpoints.get("vpc")
                or _env("ALIBABA_CLOUD_ENDPOINT_VPC", "VPC_ENDPOINT"),
                sts_endpoint=endpoints.get("sts")
                or _env("ALIBABA_CLOUD_ENDPOINT_STS", "STS_ENDPOINT"),
                protocol=config.get("protocol") or "HTTPS",
            )
        )

    @property
    def cloud(self) -> Cloud:
        if self._cloud is None:
            raise RuntimeError("the alicloud provider is not configured")
        return self._cloud

    def account_id(self) -> str:
        """The caller's main account id: ``account_id``, else STS GetCallerIdentity."""
        if not self._account_id:
            self._account_id = str(self.cloud.caller_identity().get("AccountId", ""))
        return self._account_id


def main() -> None:
    from riconnect.terraform.plugin import run

    run(AlicloudProvider)
