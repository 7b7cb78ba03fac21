"""Answers: what the gateway sends (:class:`Answer`), JSON (default) or XML
(``Format=XML``), and the error envelope."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

JSON_TYPE = "application/json;charset=utf-8"
XML_TYPE = "text/xml;charset=utf-8"


@dataclass
class Answer:
    """One answer, before it is rendered; ``action``, ``account`` and ``code`` are logged."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    action: str = "-"
    account: str = "-"
    code: str = "-"
    root: str = "Response"  # the XML root element
    xml: bool = False

    def payload(self) -> tuple[bytes, str]:
        """(body bytes, content type)."""
        if self.xml:
            return to_xml(self.root, self.body), XML_TYPE
        return to_json(self.body), JSON_TYPE


def wants_xml(params: dict[str, str]) -> bool:
    return params.get("Format", "").upper() == "XML"


def to_json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


# Characters XML 1.0 cannot carry at all, not even as character references: the C0 controls
# other than tab, LF and CR, surrogates, U+FFFE and U+FFFF.  Request values (and so error
# messages that quote them) may contain them; they become U+FFFD so the document stays
# well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape(_NOT_XML.sub("\ufffd", str(value)))


def _xml(tag: str, value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append(f"<{tag}>")
        for key, item in value.items():
            if isinstance(item, list):
                # A list wrapper {"Vpcs": {"Vpc": [..]}} becomes <Vpcs><Vpc/>..</Vpcs>.
                for element in item:
                    _xml(key, element, out)
            else:
                _xml(key, item, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list):
        for element in value:
            _xml(tag, element, out)
    else:
        out.append(f"<{tag}>{_xml_value(value)}</{tag}>")


def to_xml(root: str, body: dict[str, Any]) -> bytes:
    out = ["<?xml version='1.0' encoding='UTF-8'?>"]
    _xml(root, body, out)
    return "".join(out).encode()


def error_body(
    request_id: str, host_id: str, code: str, message: str, product: str = "Vpc"
) -> dict[str, Any]:
    return {
        "RequestId": request_id,
        "HostId": host_id,
        "Code": code,
        "Message": message,
        "Recommend": (
            f"https://api.aliyun.com/troubleshoot?q={code}&product={product}&requestId={request_id}"
        ),
    }
