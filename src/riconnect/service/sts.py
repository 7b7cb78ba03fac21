"""STS GetCallerIdentity (2015-04-01): how clients, Terraform included, learn their account id."""

from __future__ import annotations

from riconnect.domain.accounts import ram_user_uid
from riconnect.service.context import Ctx, Params, Result
from riconnect.store.db import Tx


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
