"""Sts 2015-04-01: GetCallerIdentity, how clients (Terraform included) learn their account."""

from __future__ import annotations

from riconnect.api.actions.base import Action, Product
from riconnect.service import sts

STS = Product("Sts", "2015-04-01", "sts.aliyuncs.com")

ACTIONS = (Action("GetCallerIdentity", STS, sts.get_caller_identity, (), region="none"),)
