"""``riconnect reach SOURCE SOURCE_IP DESTINATION_IP``: ask a running cloud whether a packet
gets from an address in a vSwitch (or VPC) to another address, and back
(``GET /riconnect/reachability``, service/reachability.py).

Prints the path hop by hop, or the first thing that blocks it; exits 0 when reachable, 1
when not, 2 when the question could not be asked (usage, connection, unknown source).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

DEFAULT_ENDPOINT = "http://127.0.0.1:18080"


HELP = "is DESTINATION_IP reachable from SOURCE_IP in a vSwitch or VPC, and back?"
DESCRIPTION = (
    "Follow a packet through the route tables and router interfaces of a running cloud, and "
    "its reply back. Exit status 0: reachable; 1: not (the blocker is named); 2: the "
    "question could not be asked."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", help="the source vSwitch (vsw-…) or VPC (vpc-…)")
    p.add_argument("source_ip", help="an address in the source")
    p.add_argument("destination_ip", help="the address to reach")
    p.add_argument(
        "--endpoint",
        default=None,
        help=f"the cloud's URL [RICONNECT_ENDPOINT, default {DEFAULT_ENDPOINT}]",
    )
    p.add_argument(
        "--admin-token",
        default=None,
        help="the server's admin token, if it has one [RICONNECT_ADMIN_TOKEN]",
    )
    p.add_argument("--account", default=None, help="only look for SOURCE in this account")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")


def _describe(node: dict[str, Any]) -> str:
    kind = node.get("nodeType", "?")
    if kind == "VSW":
        return f"vSwitch     {node['id']} ({node['cidr']}, {node['vpcId']}) address {node['ip']}"
    if kind == "VROUTER":
        return (
            f"vRouter     {node['id']} of {node['vpcId']} ({node['cidr']}, "
            f"account {node['accountId']}, {node['regionId']})"
        )
    if kind == "ROUTE_TABLE":
        return f"route table {node['id']}"
    if kind == "ROUTE_ENTRY":
        hop = node["nextHopType"] + (f" {node['nextHopId']}" if node.get("nextHopId") else "")
        return (
            f"route       {node['id']} {node['destinationCidrBlock']} -> {hop} "
            f"({node['type']}, {node['status']})"
        )
    if kind == "ROUTER_INTERFACE":
        return (
            f"interface   {node['id']} on {node['routerId']} ({node['role']}, "
            f"{node['status']}, account {node['accountId']}, {node['regionId']})"
        )
    return json.dumps(node)


def render(result: dict[str, Any]) -> str:
    lines = [
        f"{result['sourceId']} {result['sourceIpAddress']} -> {result['targetIpAddress']}: "
        + ("reachable" if result["reachable"] else "NOT reachable")
    ]
    for title, nodes in (("forward", result["hops"]), ("return", result["reverseHops"])):
        if nodes:
            lines.append(f"{title} path:")
            lines.extend(f"  {_describe(node)}" for node in nodes)
    blocker = result.get("blocker")
    if blocker:
        where = "on the return path" if blocker["direction"] == "reverse" else "on the way there"
        lines.append(f"blocked {where}: {blocker['errorCode']}: {blocker['message']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from riconnect.operator_client import OperatorClient, OperatorError, Unreachable

    endpoint = args.endpoint or os.environ.get("RICONNECT_ENDPOINT") or DEFAULT_ENDPOINT
    client = OperatorClient(endpoint, args.admin_token, timeout=30)
    try:
        result = client.reachability(args.source, args.source_ip, args.destination_ip, args.account)
    except Unreachable as exc:
        print(f"riconnect reach: cannot reach the cloud: {exc.message}", file=sys.stderr)
        return 2
    except OperatorError as exc:
        print(f"riconnect reach: {exc.code}: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0 if result.get("reachable") else 1
