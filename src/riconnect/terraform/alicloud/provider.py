"""Provider ``alicloud``: configuration, credentials and endpoints, as the real provider reads them.

Environment variables are the real provider's: ``ALICLOUD_*`` and ``ALIBABA_CLOUD_*``
for credentials and region, and ``ALIBABA_CLOUD_ENDPOINT_VPC`` / ``VPC_ENDPOINT`` (likewise
ECS, STS, BSSOPENAPI and RESOURCEMANAGER) for endpoints.  An endpoint may carry its scheme
(``http://127.0.0.1:18080``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from riconnect.terraform.alicloud import validators as ali
from riconnect.terraform.alicloud.data_sources import DATA_SOURCES
from riconnect.terraform.alicloud.resources import RESOURCES
from riconnect.terraform.endpoints import ENDPOINT_KEYS
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
from riconnect.terraform.plugin.validators import string_in_slice

if TYPE_CHECKING:  # imported by configure: a process started for the schema never needs it
    from riconnect.terraform.alicloud.client import AliClient

DEFAULT_REGION = "cn-beijing"  # the real provider's default


def _env(*names: str) -> str:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return ""


class AlicloudProvider(Provider):
    type_name = "alicloud"
    # As the official provider (Go plugin SDK v1): protocol 5 with the legacy type system,
    # so the state after apply is what the cloud says and suppressed diffs plan nothing
    # (docs/fidelity.md "Plans and state: the legacy type system").
    protocol_versions = (5,)
    legacy_type_system = True
    resources = RESOURCES
    data_sources = DATA_SOURCES
    # The schema answer is kept on disk while these sources stay as they are.
    schema_sources = ("riconnect.terraform.alicloud", "riconnect.terraform.endpoints")
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
                    "protocol",
                    String,
                    optional=True,
                    validators=[string_in_slice(["HTTP", "HTTPS"])],
                ),
                # Accepted as the official provider accepts it (riconnect terraform run writes
                # it); this provider never probes the account type.
                Attribute(
                    "account_type",
                    String,
                    optional=True,
                    validators=[
                        ali.string_in_slice(["Domestic", "International"], ignore_case=True)
                    ],
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
                            Attribute(
                                "ecs",
                                String,
                                optional=True,
                                description="ECS API endpoint host[:port] (regions, zones).",
                            ),
                            # The other products `riconnect terraform run` points at riconnect:
                            # accepted like the official provider's keys (bssopenapi releases
                            # subscription interfaces, resourcemanager lists resource groups;
                            # location is unused here).
                            *(
                                Attribute(key, String, optional=True)
                                for key in ENDPOINT_KEYS
                                if key not in ("vpc", "sts", "ecs")
                            ),
                        ]
                    ),
                    nesting=Nesting.SET,
                )
            ],
        )
    )

    def configure(self, config: State, diags: Diagnostics) -> AliClient | None:
        """The client every resource and data source gets; None (and an error) when the
        configuration cannot make one."""
        from riconnect.terraform.alicloud.client import AliClient, ClientConfig

        for name, value in config.items():
            if value is UNKNOWN:
                diags.error(
                    "Provider configuration is not known yet",
                    f"'{name}' depends on a value that is only known after apply.",
                    path=(name,),
                )
                return None
        endpoints: dict[str, str] = {}
        for block in config.get("endpoints") or []:
            endpoints.update({k: v for k, v in block.items() if v})
        access_key = config.get("access_key") or _env(
            "ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID"
        )
        secret_key = config.get("secret_key") or _env(
            "ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
        )
        region = (
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
            return None
        return AliClient(
            ClientConfig(
                access_key=access_key,
                secret_key=secret_key,
                security_token=config.get("security_token")
                or _env("ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"),
                region=region,
                vpc_endpoint=endpoints.get("vpc")
                or _env("ALIBABA_CLOUD_ENDPOINT_VPC", "VPC_ENDPOINT"),
                sts_endpoint=endpoints.get("sts")
                or _env("ALIBABA_CLOUD_ENDPOINT_STS", "STS_ENDPOINT"),
                ecs_endpoint=endpoints.get("ecs")
                or _env("ALIBABA_CLOUD_ENDPOINT_ECS", "ECS_ENDPOINT"),
                bss_endpoint=endpoints.get("bssopenapi")
                or _env("ALIBABA_CLOUD_ENDPOINT_BSSOPENAPI", "BSSOPENAPI_ENDPOINT"),
                resourcemanager_endpoint=endpoints.get("resourcemanager")
                or _env("ALIBABA_CLOUD_ENDPOINT_RESOURCEMANAGER", "RESOURCEMANAGER_ENDPOINT"),
                protocol=config.get("protocol") or "HTTPS",
                account_id=config.get("account_id")
                or _env("ALICLOUD_ACCOUNT_ID", "ALIBABA_CLOUD_ACCOUNT_ID"),
            )
        )


def main() -> None:
    from riconnect.terraform.plugin import run

    run(AlicloudProvider)
