"""The error catalogue: every error code riconnect can answer, with its HTTP status.

Raising ``ApiError("Code", ...)`` anywhere below the wire layer yields the right
Alibaba-shaped envelope.  Messages keep the official wording, typos included,
because clients and users grep for them.

A code must be catalogued, and a typo must not wait for a request to surface as a 500:
codes kept as data (parameter and transition tables, fault rules) are checked when their
tables are built (:func:`catalogued`), and a test checks every code literal in ``src/``
(tests/domain/test_error_catalogue.py), as well as that every entry here is raised somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    message: str


# code -> (HTTP status, message template).  Templates use str.format(**kwargs).
CATALOGUE: dict[str, ErrorSpec] = {
    # -- gateway / common -------------------------------------------------------------
    "MissingParameter": ErrorSpec(
        400,
        'The input parameter "{name}" that is mandatory for processing this request '
        "is not supplied.",
    ),
    "InvalidParameter": ErrorSpec(400, 'The specified parameter "{name}" is not valid. {detail}'),
    "InvalidParameter.Duplicate": ErrorSpec(
        400, 'The parameter "{name}" was supplied more than once with different values.'
    ),
    # 404, as Alibaba's gateway answers it; never a retryable code.  A client that takes
    # 404 for "gone" (the Go provider does) would read a missing Delete as success: the
    # official-provider tests fail on any such answer (docs/fidelity.md).
    "InvalidAction.NotFound": ErrorSpec(
        404, "Specified api is not found, please check your url and method."
    ),
    "InvalidVersion": ErrorSpec(
        400, 'Specified version "{version}" of action "{action}" is not supported.'
    ),
    "UnsupportedHTTPMethod": ErrorSpec(403, "This http method is not supported."),
    "InvalidPath": ErrorSpec(404, "The specified path does not exist: {path}"),
    # riconnect's own: a forward-proxy request (absolute-form target) for a host that is not
    # an Alibaba Cloud API endpoint (api/request.py, origin_form).
    "Forbidden.ProxyTarget": ErrorSpec(
        403,
        "riconnect answers proxy requests only for Alibaba Cloud API hosts (*.aliyuncs.com) "
        "and itself, not for {host}.",
    ),
    "RequestTooLarge": ErrorSpec(413, "The request body exceeds the limit of {limit} bytes."),
    # The HTTP gateway's own refusals (malformed HTTP, limits, deadlines).
    "MalformedHttpRequest": ErrorSpec(400, "The HTTP request is malformed and cannot be parsed."),
    "RequestHeaderFieldsTooLarge": ErrorSpec(
        431, "The request line and headers exceed the limit of {limit} bytes."
    ),
    "RequestTimeout": ErrorSpec(
        408, "The request was not received completely within {seconds:g} seconds."
    ),
    "TooManyParameters": ErrorSpec(
        400, "The request carries more than {limit} query and form parameters."
    ),
    "MissingSignature": ErrorSpec(
        400,
        "The request must be signed: neither a Signature parameter nor an "
        "ACS3-HMAC-SHA256 Authorization header was found.",
    ),
    "IncompleteSignature": ErrorSpec(
        400, "The request signature does not conform to Aliyun standards. {detail}"
    ),
    "SignatureDoesNotMatch": ErrorSpec(
        400,
        "Specified signature is not matched with our calculation. "
        "server string to sign is:{string_to_sign}",
    ),
    "IllegalTimestamp": ErrorSpec(
        400,
        'The input parameter "Timestamp" that is mandatory for processing this request '
        "is not supplied or is out of the allowed window of 15 minutes. {detail}",
    ),
    "SignatureNonceUsed": ErrorSpec(400, "Specified signature nonce was used already."),
    "MissingSignatureNonce": ErrorSpec(
        400,
        'The input parameter "SignatureNonce" that is mandatory for processing this '
        "request is not supplied.",
    ),
    "InvalidAccessKeyId.NotFound": ErrorSpec(404, "Specified access key is not found."),
    "InvalidAccessKeyId.Inactive": ErrorSpec(400, "Specified access key is disabled."),
    "InvalidSecurityToken.NotSupported": ErrorSpec(
        400,
        "STS SecurityTokens are not supported by riconnect; sign the request with an "
        "AccessKey pair from the accounts file instead.",
    ),
    "Throttling.User": ErrorSpec(400, "Request was denied due to user flow control."),
    "ServiceUnavailable": ErrorSpec(
        503, "The request has failed due to a temporary failure of the server."
    ),
    "OperationConflict": ErrorSpec(
        400, "Request was denied due to conflict with a previous request, please try again later."
    ),
    "InternalError": ErrorSpec(500, "The request processing has failed due to some unknown error."),
    "InvalidRegionId.NotFound": ErrorSpec(
        404, "The specified RegionId does not exist in our records."
    ),
    "DryRunOperation": ErrorSpec(400, "Request validation has been passed with DryRun flag set."),
    "IdempotentParameterMismatch": ErrorSpec(
        400, "The request uses the same client token as a previous, but non-identical request."
    ),
    "InvalidClientToken.Malformed": ErrorSpec(
        400, "The specified ClientToken is malformed: at most 64 ASCII characters."
    ),
    # -- VPC ----------------------------------------------------------------------------
    "InvalidCidrBlock.Malformed": ErrorSpec(400, "Specified CIDR block is not valid. {detail}"),
    "InvalidVpcName.Malformed": ErrorSpec(400, "Specified VPC name is not valid. {detail}"),
    "InvalidDescription.Malformed": ErrorSpec(400, "Specified description is not valid. {detail}"),
    "InvalidUserCidr.Malformed": ErrorSpec(400, "Specified UserCidr is not valid. {detail}"),
    "InvalidTag.Malformed": ErrorSpec(400, "Specified tag is not valid. {detail}"),
    "QuotaExceeded.Vpc": ErrorSpec(400, "VPC quota exceeded."),
    "InvalidVpcID.NotFound": ErrorSpec(404, "Specified VPC does not exist."),
    "IncorrectVpcStatus": ErrorSpec(400, "Current VPC status does not support this operation."),
    "DependencyViolation.RouterInterface": ErrorSpec(
        400, "Specified VPC still has router interface."
    ),
    "DependencyViolation.VSwitch": ErrorSpec(400, "Specified object has dependent resources."),
    "DependencyViolation.RouteEntry": ErrorSpec(400, "Specified object has dependent resources."),
    "Forbidden.VpcNotFound": ErrorSpec(400, "Specified VPC can not found."),
    "OperationDenied.VpcIpv6NotEnabled": ErrorSpec(400, "IPv6 has not been enabled for the VPC."),
    # -- zones and vSwitches ------------------------------------------------------------
    "InvalidZoneId.NotFound": ErrorSpec(404, "Specified zone does not exist."),
    "InvalidVpcId.NotFound": ErrorSpec(404, "Specified VPC does not exist."),
    "InvalidVSwitchId.NotFound": ErrorSpec(404, "VSwitch not exist."),
    "InvalidVSwitchName.Malformed": ErrorSpec(400, "Specified virtual switch name is not valid."),
    # (sic) the documented spelling
    "InvalidVSwitchDiscription.Malformed": ErrorSpec(
        400, "Specified virtual switch description is not valid."
    ),
    "InvalidCirdrBlock.MaskLength": ErrorSpec(400, "Specified CIDR block is not valid ."),
    "InvalidCidrBlock.Overlapped": ErrorSpec(
        400, "Specified CIDR block overlapped with other subnets."
    ),
    "QuotaExceeded.VSwitch": ErrorSpec(400, "Virtual switch quota exceeded."),
    "IncorrectVSwitchStatus": ErrorSpec(
        400, "The current virtual switch status does not support this operation."
    ),
    # -- route tables and route entries -------------------------------------------------
    "InvalidRouteTableId.NotFound": ErrorSpec(404, "Specified route table does not exist."),
    "InvalidRouteTableName.Malformed": ErrorSpec(400, "Specified route table name is not valid."),
    "IncorrectRouteEntryStatus": ErrorSpec(400, "Some route entry status blocked this operation."),
    "InvalidCIDRBlock.Duplicate": ErrorSpec(400, "Specified CIDR block is already exists."),
    "InvalidCidrBlock": ErrorSpec(400, "Specified CIDR block is not valid. {detail}"),
    "QuotaExceeded": ErrorSpec(400, "Route entry quota exceeded in this route table."),
    "InvalidNextHopType": ErrorSpec(400, 'Specified parameter "NextHopType" is not valid.'),
    "InvalidNextHop.NotFound": ErrorSpec(400, "Specified next hop does not exist."),
    "InvalidNextHop": ErrorSpec(400, "Specified nexthop and nexthop list cannot both null."),
    "InvalidRouterInterface": ErrorSpec(400, "invalid router interface."),
    "IncorrectStatus.RouterInterface": ErrorSpec(
        400, "The specified RouterInterface status is invalid."
    ),
    "OperationFailed.InstanceDismatchCurrentVpc": ErrorSpec(
        404, "The specified instance does not exist in current vpc."
    ),
    "OperationDenied.RouterInterfaceIpv6NotEnabled": ErrorSpec(
        400, "Routerinterface does not support IPv6."
    ),
    "InvalidRouteEntry.NotFound": ErrorSpec(400, "Route entry not exists."),
    "OperationDenied": ErrorSpec(
        400, "Specified operation is denied as route entry type is system."
    ),
    "InvalidRouteEntryName.Malformed": ErrorSpec(400, "Specified RouteEntry name is not valid."),
    "DependencyViolation.RouterInterfaceReferedByRouteEntry": ErrorSpec(
        400,
        "RouterInterface cannot be deleted when it is refered by a route table entry as next hop.",
    ),
    # Secondary blocks and default VPCs: the API pages name no code for these refusals;
    # riconnect's choices are listed in docs/fidelity.md "VPCs".
    "QuotaExceeded.SecondaryCidrBlock": ErrorSpec(
        400, "A VPC has at most {limit} secondary IPv4 CIDR blocks."
    ),
    "InvalidSecondaryCidrBlock.NotFound": ErrorSpec(
        404, "Specified secondary CIDR block is not associated with the VPC."
    ),
    "DefaultVpcExist": ErrorSpec(400, "A default VPC already exists in this region."),
    # -- resource groups (MoveResourceGroup, ChangeResourceGroup) ---------------------------
    "InvalidResourceGroupId": ErrorSpec(400, "The specified ResourceGroupId does not exist."),
    "InvalidResourceId.NotFound": ErrorSpec(400, "The specified ResourceId does not exist."),
    "IllegalParam.ResourceType": ErrorSpec(400, "Invalid Resource Type value."),
    # ResourceManager GetResourceGroup (the code the official provider treats as "gone").
    "EntityNotExists.ResourceGroup": ErrorSpec(404, "The specified resource group does not exist."),
    # -- router interfaces --------------------------------------------------------------
    "InvalidRouterInterfaceId.NotFound": ErrorSpec(
        404, "The specified RouterInterfaceId does not exist in our records."
    ),
    "InvalidInstanceId.NotFound": ErrorSpec(
        404, "The InstanceId provided does not exist in our records."
    ),
    "InvalidRouterId.NotFound": ErrorSpec(404, "The specified RouterId does not exist."),
    "InvalidRole.Malformed": ErrorSpec(400, "The specified Role is not valid. {detail}"),
    "InvalidRouterType.Malformed": ErrorSpec(
        400, "The specified RouterType is not valid. {detail}"
    ),
    "InvalidOppositeRouterType.ValueNotSupported": ErrorSpec(
        400, "The specified OppositeRouterType is not supported. {detail}"
    ),
    "InvalidSpec.ValudNotSupported": ErrorSpec(400, "The specified Spec is not supported."),
    "InvalidOppositeRegionId.NotFound": ErrorSpec(
        400, "The OppositeRegionId provided does not exist in our records."
    ),
    "InvalidAccessPointId.NotFound": ErrorSpec(
        400, "The specified AccessPointId does not exist. {detail}"
    ),
    "InvalidName.Malformd": ErrorSpec(400, "The attribute name is illeagl."),
    "QuotaExceeded.RouterInterface": ErrorSpec(
        400, "The router has reached the limit of {limit} router interfaces."
    ),
    "InvalidOppositeInterfaceOwnerId.Malformed": ErrorSpec(
        400, "The OppositeInterfaceOwnerId must be the id of a main account. {detail}"
    ),
    "InvalidFastLinkMode.Forbidden": ErrorSpec(400, "FastLinkMode is not allowed here. {detail}"),
    "InvalidHealthCheck.Malformed": ErrorSpec(
        400, "Health check parameters are not valid. {detail}"
    ),
    "InvalidChargeType.Malformed": ErrorSpec(400, "The charge parameters are not valid. {detail}"),
    "IncorrectRole.NotInitiatingSide": ErrorSpec(
        400, "The specified RouterInterface is not InitiatingSide."
    ),
    "IncorrectRIStatus": ErrorSpec(
        400,
        "RouterInterface can be operated by this action only when it's status is {allowed}.",
    ),
    "IncorrectStatus": ErrorSpec(400, "{detail}"),
    "IncorrectOppositeInterfaceInfo.NotSet": ErrorSpec(
        400,
        "OppositeInterfaceId/OppositeRouterId/OppositeRouterType/OppositeInterfaceOwnerId "
        "must be all set.",
    ),
    "IncorrectOppositeInterfaceInfo": ErrorSpec(400, "{detail}"),
    "IncorrectOppositeInterfaceInfo.Mismatch": ErrorSpec(400, "{detail}"),
    "Forbidden.OnlyOneConnection": ErrorSpec(
        400, "The Specified routers have a connection already"
    ),
    "InvalidInstance.StatusError": ErrorSpec(400, "The router instance status error."),
    "InvalidRouterInterfaceChargeType.Malformed": ErrorSpec(
        500, "The prepaid routerinterface can not delete."
    ),
    "IncorrectRouterInterfaceType.NotFastLink": ErrorSpec(
        400, "The specified RouterInterface was not created in fast link mode."
    ),
    "Forbidden.FinancialLocked": ErrorSpec(
        400, "This RouterInterface is financiel locked because of bills outstanding."
    ),
    "Forbidden.BillsOutstanding": ErrorSpec(
        400, "You cannot use this action because you have bills outstanding."
    ),
    "Forbidden.SecurityLocked": ErrorSpec(
        400, "This RouterInterface is locked for security reasons."
    ),
    "IncorrectVbrStatus": ErrorSpec(
        400, "The VBR must be in the active state to serve as a router interface requester."
    ),
    "InvalidPeriod.Malformed": ErrorSpec(
        400, "Period must be 1 to 9 when PricingCycle is Month, or 1 to 3 when it is Year."
    ),
    # -- BssOpenApi (RefundInstance) ------------------------------------------------------
    "ResourceNotExists": ErrorSpec(400, "The specific resource is not exists."),
    "ResourceStatusError": ErrorSpec(400, "The resource status error."),
    # -- VBR / physical connections -----------------------------------------------------
    "InvalidVbrId.NotFound": ErrorSpec(
        404, "The specified VirutalBorderRouter does not exist in our records."
    ),
    "InvalidPhysicalConnectionId.NotFound": ErrorSpec(
        404, "The specified PhysicalConnection does not exist."
    ),
    "InvalidVlanId.Used": ErrorSpec(400, "The VlanId is already used on this physical connection."),
    "InvalidVlanId.Malformed": ErrorSpec(400, "The VlanId must be between 0 and 2999."),
    "InvalidOperation.RouterInterfaceNotDeleted": ErrorSpec(
        400, "The specified VirutalBorderRouter still has routerInterface."
    ),
    "InvalidOperation.OperationNotAllowedInState": ErrorSpec(
        400, "The specified VirutalBorderRouter is in invalid state."
    ),
    "InvalidVbrName.Malformed": ErrorSpec(400, "Specified VBR name is not valid. {detail}"),
    "InvalidIp.Malformed": ErrorSpec(400, "Specified IP address is not valid. {detail}"),
    # -- the operator surface (/riconnect/...; riconnect's own, not Alibaba Cloud's) -------
    "Forbidden.AdminToken": ErrorSpec(
        403,
        "The riconnect operator surface requires the header Authorization: Bearer <token> "
        "with the server's admin token.",
    ),
    "Forbidden.LoopbackOnly": ErrorSpec(
        403,
        "The riconnect operator surface answers loopback clients only; start the server "
        "with an admin token (--admin-token or RICONNECT_ADMIN_TOKEN) to open it to others.",
    ),
    "Forbidden.CrossSite": ErrorSpec(
        403, "Cross-site requests that change the riconnect operator surface are refused."
    ),
    "InvalidSnapshot": ErrorSpec(400, "The snapshot cannot be loaded: {detail}"),
    "InvalidSettings": ErrorSpec(400, "The settings are not valid: {detail}"),
}


def catalogued(*codes: str) -> tuple[str, ...]:
    """``codes``, once each is known to be in :data:`CATALOGUE` (KeyError otherwise)."""
    unknown = [code for code in codes if code not in CATALOGUE]
    if unknown:
        raise KeyError(f"error codes not in the catalogue: {', '.join(unknown)}")
    return codes


class ApiError(Exception):
    """A business or protocol error with an entry in :data:`CATALOGUE`."""

    def __init__(self, code: str, message: str | None = None, **fmt: Any) -> None:
        spec = CATALOGUE.get(code)
        if spec is None:  # a programming error: every code must be catalogued
            raise KeyError(f"error code {code!r} is not in the catalogue")
        self.code = code
        self.status = spec.status
        if message is None:
            fields = {"detail": "", **fmt}
            message = spec.message.format(**fields).rstrip()
        self.message = message
        # Extra response headers, e.g. x-acs-retry-after for throttling.
        self.headers: dict[str, str] = {}
        super().__init__(f"{code}: {message}")
