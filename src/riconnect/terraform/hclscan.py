"""Just enough of HCL to find a configuration's ``provider "alicloud"`` blocks.

``riconnect terraform run``/``override`` must name every provider configuration (aliases
included) in its override file, know which ones bring their own credentials, and know
whether the configuration already declares where ``alicloud`` comes from.  That needs the
block structure of the ``*.tf`` files of one directory, not their values: this module
tokenizes HCL (strings with templates, heredocs, comments, brackets) and returns the
top-level blocks with their attribute names and nested blocks.  ``*.tf.json`` files are
read as JSON in Terraform's JSON syntax.  Expressions are never evaluated; a literal
string attribute (``alias = "b"``) is kept as its value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Block", "HclError", "ProviderConfig", "Scan", "parse_hcl", "scan_directory"]


class HclError(ValueError):
    """A file this scanner cannot read (Terraform would refuse it too)."""


@dataclass
class Block:
    type: str
    labels: list[str]
    # attribute name -> its literal string value, or None when it is an expression
    attributes: dict[str, str | None] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    line: int = 0


@dataclass(frozen=True)
class ProviderConfig:
    alias: str | None  # None: the default configuration
    names: frozenset[str]  # the attributes and nested blocks it sets
    where: str  # file:line, for messages


@dataclass
class Scan:
    providers: list[ProviderConfig] = field(default_factory=list)
    # Does a required_providers block (anywhere in the directory) declare alicloud?
    declares_alicloud: bool = False


# -- tokens -----------------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass(frozen=True)
class _Token:
    kind: str  # ident, string, template, open, close, eq, nl, other
    text: str
    line: int


def _string(text: str, i: int, line: int) -> tuple[_Token, int, int]:
    """A quoted string starting at text[i] == '"'; returns (token, end, line)."""
    out: list[str] = []
    templated = False
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            nxt = text[j + 1 : j + 2]
            out.append(_SIMPLE_ESCAPES.get(nxt, nxt))
            j += 2
            continue
        if c == '"':
            kind = "template" if templated else "string"
            return _Token(kind, "".join(out), line), j + 1, line
        if c == "\n":
            raise HclError(f"line {line}: unterminated string")
        if c in "$%" and text[j + 1 : j + 2] == "{":
            if text[j - 1 : j] == c:  # $${ and %%{ are literal
                out.append("{")
                j += 2
                continue
            templated = True
            j = _skip_template(text, j + 2, line)
            continue
        out.append(c)
        j += 1
    raise HclError(f"line {line}: unterminated string")


def _skip_template(text: str, j: int, line: int) -> int:
    """Past the ``}`` closing a ``${`` / ``%{`` sequence (which may hold strings)."""
    depth = 1
    while j < len(text):
        c = text[j]
        if c == '"':
            _, j, line = _string(text, j, line)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise HclError(f"line {line}: unterminated template")


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, line = 0, 1
    while i < len(text):
        c = text[i]
        if c == "\n":
            out.append(_Token("nl", c, line))
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise HclError(f"line {line}: unterminated comment")
            line += text.count("\n", i, end)
            i = end + 2
        elif c == '"':
            token, i, line = _string(text, i, line)
            out.append(token)
        elif (heredoc := _HEREDOC.match(text, i)) is not None:
            marker = heredoc.group(2)
            closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.MULTILINE)
            found = closing.search(text, heredoc.end())
            if found is None:
                raise HclError(f"line {line}: unterminated heredoc {marker}")
            line += text.count("\n", i, found.end())
            out.append(_Token("template", "", line))
            i = found.end()
        elif c in "{[(":
            out.append(_Token("open", c, line))
            i += 1
        elif c in "}])":
            out.append(_Token("close", c, line))
            i += 1
        elif c == "=" and text[i + 1 : i + 2] not in ("=", ">"):
            out.append(_Token("eq", c, line))
            i += 1
        elif (ident := _IDENT.match(text, i)) is not None:
            out.append(_Token("ident", ident.group(), line))
            i = ident.end()
        else:
            out.append(_Token("other", c, line))
            i += 1
    return out


# -- structure --------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, offset: int = 0) -> _Token | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def body(self, closing: bool) -> tuple[dict[str, str | None], list[Block]]:
        attributes: dict[str, str | None] = {}
        blocks: list[Block] = []
        while (token := self.peek()) is not None:
            if token.kind == "nl":
                self.i += 1
                continue
            if token.kind == "close" and token.text == "}":
                if not closing:
                    raise HclError(f"line {token.line}: unexpected '}}'")
                self.i += 1
                return attributes, blocks
            if token.kind != "ident":
                raise HclError(f"line {token.line}: expected a name, found {token.text!r}")
            self.i += 1
            nxt = self.peek()
            if nxt is not None and nxt.kind == "eq":
                self.i += 1
                attributes[token.text] = self.expression()
                continue
            labels: list[str] = []
            while (nxt := self.peek()) is not None and nxt.kind in ("string", "ident"):
                labels.append(nxt.text)
                self.i += 1
            if nxt is None or nxt.kind != "open" or nxt.text != "{":
                raise HclError(f"line {token.line}: expected '{{' after {token.text}")
            self.i += 1
            inner_attributes, inner_blocks = self.body(closing=True)
            blocks.append(Block(token.text, labels, inner_attributes, inner_blocks, token.line))
        if closing:
            raise HclError("unexpected end of file: a block is not closed")
        return attributes, blocks

    def expression(self) -> str | None:
        """Skip one attribute's expression; its value when it is one literal string."""
        start = self.i
        depth = 0
        while (token := self.peek()) is not None:
            if token.kind == "open":
                depth += 1
            elif token.kind == "close":
                if depth == 0:  # the end of a one-line block: `{ a = 1 }`
                    break
                depth -= 1
            elif token.kind == "nl" and depth == 0:
                break
            self.i += 1
        parts = self.tokens[start : self.i]
        if len(parts) == 1 and parts[0].kind == "string":
            return parts[0].text
        return None


def parse_hcl(text: str) -> list[Block]:
    """The top-level blocks of one HCL file (top-level attributes are not HCL)."""
    _, blocks = _Parser(_tokens(text)).body(closing=False)
    return blocks


# -- a directory --------------------------------------------------------------------------


def _declares(required: dict[str, Any] | Block, name: str) -> bool:
    if isinstance(required, Block):
        return name in required.attributes
    return name in required


def _scan_hcl(path: Path, scan: Scan, provider: str) -> None:
    try:
        top = parse_hcl(path.read_text(encoding="utf-8"))
    except HclError as exc:
        raise HclError(f"{path.name}: {exc}") from None
    for block in top:
        if block.type == "provider" and block.labels == [provider]:
            alias = block.attributes.get("alias")
            if "alias" in block.attributes and alias is None:
                raise HclError(f"{path.name}:{block.line}: alias must be a literal name")
            names = frozenset(block.attributes) | frozenset(b.type for b in block.blocks)
            scan.providers.append(ProviderConfig(alias, names, f"{path.name}:{block.line}"))
        elif block.type == "terraform":
            for inner in block.blocks:
                if inner.type == "required_providers" and _declares(inner, provider):
                    scan.declares_alicloud = True


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _scan_json(path: Path, scan: Scan, provider: str) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise HclError(f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise HclError(f"{path.name}: not a Terraform JSON configuration")
    for providers in _as_list(data.get("provider", [])):
        if not isinstance(providers, dict):
            continue
        for config in _as_list(providers.get(provider, [])):
            if isinstance(config, dict):
                alias = config.get("alias")
                scan.providers.append(
                    ProviderConfig(
                        alias if isinstance(alias, str) else None,
                        frozenset(config),
                        path.name,
                    )
                )
    for terraform in _as_list(data.get("terraform", [])):
        if not isinstance(terraform, dict):
            continue
        for required in _as_list(terraform.get("required_providers", [])):
            if isinstance(required, dict) and provider in required:
                scan.declares_alicloud = True


def scan_directory(directory: Path, provider: str = "alicloud", skip: str = "") -> Scan:
    """The ``provider`` configurations of the root module in ``directory`` (``*.tf`` and
    ``*.tf.json``, override files included), except the file named ``skip``."""
    scan = Scan()
    for path in sorted(directory.iterdir()):
        if path.name == skip or not path.is_file():
            continue
        if path.name.endswith(".tf.json"):
            _scan_json(path, scan, provider)
        elif path.name.endswith(".tf"):
            _scan_hcl(path, scan, provider)
    return scan
