"""STS GetCallerIdentity (2015-04-01): how clients, Terraform included, learn their account id."""

from __future__ import annotations

import hashlib

from riconnect.service.context import Ctx, Params, Result
from riconnect.store.db import Tx


def ram_user_uid(account_id: str, user_name: str) -> str:
    """A stable 16-digit uid for a RAM user (real RAM user ids are numeric, like accounts)."""
    digest = int(hashlib.sha256(f"{account_id}/{user_name}".encode()).hexdigest(), 16)
    return "2" + str(digest)[:15]


def get_caller_identity(ctx: Ctx, tx: Tx, p: Params) -> Result:
    principal = ctx.principal
    if principal.ram_user is None:
        return {
            "IdentityType": "Account",
            "AccountId": principal.account_id,
            "PrincipalId": principal.account_id,
            "UserId": principal.account_id,
            "Arn": principal.arn,
        }
    uid = ram_user_uid(principal.account_id, principal.ram_user)
    return {
        "IdentityType": "RAMUser",
        "AccountId": principal.account_id,
        "PrincipalId": uid,
        "UserId": uid,
        "Arn": principal.arn,
    }
