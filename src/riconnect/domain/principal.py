"""Who is calling: a main account, or a RAM user of one, identified by an AccessKey."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    account_id: str  # the 16-digit uid of the main account that owns every resource
    access_key_id: str
    ram_user: str | None = None  # None when the key belongs to the main account itself

    @property
    def is_main_account(self) -> bool:
        return self.ram_user is None

    @property
    def arn(self) -> str:
        if self.ram_user is None:
            return f"acs:ram::{self.account_id}:root"
        return f"acs:ram::{self.account_id}:user/{self.ram_user}"
