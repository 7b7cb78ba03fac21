"""Data source ``alicloud_account``: the caller's account id (``account_id``, else STS
GetCallerIdentity), as v1.285.0 data_source_alicloud_account.go reads it."""

from __future__ import annotations

from riconnect.terraform.alicloud.base import AliDataSource
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    DiagnosticError,
    Diagnostics,
    Schema,
    State,
    String,
)


class Account(AliDataSource):
    type_name = "alicloud_account"
    schema = Schema(Block(attributes=[Attribute("id", String, computed=True)]))

    def read(self, config: State, diags: Diagnostics) -> State:
        account_id = self.client.account_id()
        if not account_id:
            raise DiagnosticError("caller identity doesn't contain any AccountId")
        return {**config, "id": account_id}
