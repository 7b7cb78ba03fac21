"""Go regular expressions (RE2 syntax) evaluated with Python's ``re``.

The official provider filters data sources with Go's ``regexp.MatchString``; a pattern
that Go accepts is rewritten here into one ``re`` reads the same way. Where the two
dialects disagree:

- ``$`` outside multi-line mode and ``\\z`` end the text (Python's ``$`` also matches
  before a final newline; Python has no ``\\z``): both become ``\\Z``.
- ``\\d``, ``\\w``, ``\\s`` are ASCII in Go, Unicode in Python: they become ASCII sets.
- Flags set mid-group (``a(?i)b``) last to the group's end in Go; Python 3.11 takes
  flags only at the start, so the rest of the group becomes a scoped ``(?i:...)``.
- ``(?U)`` (ungreedy) swaps each repetition's greediness; Python has no such flag.
- ``\\Q...\\E``, ``(?<name>``, ``[[:alpha:]]``, octal and ``\\x{...}`` escapes, and a
  ``{`` that is not a repetition are spelled the way ``re`` reads them.

Unicode classes (``\\pL``, ``\\p{Greek}``) have no ``re`` equivalent: ``compile_go``
raises ``Unsupported`` for them, and for a negated Perl or POSIX class inside brackets.
The pattern must already be valid Go (``goregexp.regexp_error`` is None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .goregexp import _escape

_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")
_FLAGS = re.compile(r"\(\?([imsU]*)(?:-([imsU]*))?([:)])")
_NAMED = re.compile(r"\(\?P?<(\w+)>")

_PERL = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\f\\r "}
_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}


class Unsupported(ValueError):
    """A valid Go pattern that Python's ``re`` cannot express."""


@dataclass
class _Group:
    flags: set[str]
    # Scoped flag groups opened for mid-group flag changes, closed at "|" and ")".
    opened: list[str] = field(default_factory=list)


def compile_go(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern))


def translate(pattern: str) -> str:
    out: list[str] = []
    groups = [_Group(set())]
    t = pattern
    while t:
        top = groups[-1]
        c = t[0]
        if c == "(":
            t = _open(t, groups, out)
        elif c == ")":
            out.append(")" * len(top.opened) + ")")
            groups.pop()
            t = t[1:]
        elif c == "|":
            out.append(")" * len(top.opened) + "|" + "".join(top.opened))
            t = t[1:]
        elif c in "*+?":
            t = _quantifier(c, t[1:], top, out)
        elif c == "{":
            m = _REPEAT.match(t)
            if m:
                t = _quantifier(m.group(0), t[m.end() :], top, out)
            else:
                out.append("\\{")
                t = t[1:]
        elif c == "$":
            out.append("$" if "m" in top.flags else "\\Z")
            t = t[1:]
        elif c == "[":
            t = _class(t, out)
        elif c == "\\":
            t = _escape_atom(t, out)
        else:
            out.append(c)
            t = t[1:]
    out.append(")" * len(groups[0].opened))
    return "".join(out)


def _open(t: str, groups: list[_Group], out: list[str]) -> str:
    top = groups[-1]
    named = _NAMED.match(t)
    if named:
        out.append(f"(?P<{named.group(1)}>")
        groups.append(_Group(set(top.flags)))
        return t[named.end() :]
    flags = _FLAGS.match(t)
    if not flags:
        out.append("(")
        groups.append(_Group(set(top.flags)))
        return t[1:]
    on, off, end = flags.group(1), flags.group(2) or "", flags.group(3)
    new = (top.flags | set(on)) - set(off)
    scope = _scope(on, off)
    if end == ":":
        out.append(scope[:-1] + ":" if scope else "(?:")
        groups.append(_Group(new))
    else:
        top.flags = new
        if scope:
            out.append(scope)
            top.opened.append(scope)
    return t[flags.end() :]


def _scope(on: str, off: str) -> str:
    # U has no re flag: its effect is applied to each repetition instead.
    # Go clears a flag named on both sides; re refuses that, so it is only turned off.
    off_set = set(off) - {"U"}
    on_set = set(on) - {"U"} - off_set
    if not on_set and not off_set:
        return ""
    turned_off = "-" + "".join(sorted(off_set)) if off_set else ""
    return f"(?{''.join(sorted(on_set))}{turned_off}:"


def _quantifier(q: str, rest: str, top: _Group, out: list[str]) -> str:
    lazy = rest.startswith("?")
    if lazy:
        rest = rest[1:]
    if "U" in top.flags:
        lazy = not lazy
    out.append(q + ("?" if lazy else ""))
    return rest


def _escape_atom(t: str, out: list[str]) -> str:
    c = t[1] if len(t) > 1 else ""
    if c == "Q":
        end = t.find("\\E", 2)
        literal = t[2:] if end < 0 else t[2:end]
        out.append(re.escape(literal))
        return "" if end < 0 else t[end + 2 :]
    if c == "z":
        out.append("\\Z")
        return t[2:]
    if c in "AbB":
        out.append(t[:2])
        return t[2:]
    if c in "pP":
        raise Unsupported(f"Unicode classes ({t[:2]}) are not supported in name_regex")
    if c.lower() in _PERL:
        body = _PERL[c.lower()]
        out.append(f"[{'^' if c.isupper() else ''}{body}]")
        return t[2:]
    value, rest = _escape(t)
    out.append(re.escape(value))
    return rest


def _class(s: str, out: list[str]) -> str:
    body: list[str] = ["["]
    t = s[1:]
    if t.startswith("^"):
        body.append("^")
        t = t[1:]
    first = True
    while not t or t[0] != "]" or first:
        first = False
        if len(t) > 2 and t[0] == "[" and t[1] == ":":
            end = t.find(":]", 2)
            if end >= 0:
                name = t[2:end]
                if name.startswith("^") or name not in _POSIX:
                    raise Unsupported(f"[:{name}:] is not supported in name_regex")
                body.append(_POSIX[name])
                t = t[end + 2 :]
                continue
        if t[0] == "\\" and len(t) > 1 and t[1] in "pP":
            raise Unsupported(f"Unicode classes ({t[:2]}) are not supported in name_regex")
        if t[0] == "\\" and len(t) > 1 and t[1].lower() in _PERL:
            if t[1].isupper():
                raise Unsupported(f"{t[:2]} inside brackets is not supported in name_regex")
            body.append(_PERL[t[1]])
            t = t[2:]
            continue
        lo, t = _class_char(t)
        body.append(_in_class(lo))
        if len(t) >= 2 and t[0] == "-" and t[1] != "]":
            hi, t = _class_char(t[1:])
            body.append("-" + _in_class(hi))
    out.append("".join(body) + "]")
    return t[1:]


def _class_char(t: str) -> tuple[str, str]:
    if t[0] == "\\":
        return _escape(t)
    return t[0], t[1:]


def _in_class(ch: str) -> str:
    # Escaped so that re neither reads it as syntax nor warns of a future set operation.
    if ch.isalnum() or ch == "_" or not ch.isascii():
        return ch
    return "\\" + ch if ch.isprintable() else f"\\x{ord(ch):02x}"
