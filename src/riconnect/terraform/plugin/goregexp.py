"""The syntax errors of Go's ``regexp.Compile`` (RE2 syntax, Perl flags), as text.

SDK v1's ``validation.StringIsValidRegExp`` reports Go's error verbatim, e.g.
``error parsing regexp: missing closing ): `(```. This walks a pattern the way Go's
regexp/syntax parser does (parse.go: ``parse``, ``parseClass``, ``parsePerlFlags``,
``parseEscape``, ``repeat``) far enough to find the same first error with the same
fragment. Character classes by name (``[:alpha:]``, ``\\pL``) are only checked for their
brackets, not for known names.
"""

from __future__ import annotations

import re

_PERL_CLASSES = set("dDsSwW")
_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")
_NAME = re.compile(r"\w+")


class _Error(Exception):
    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")


def regexp_error(pattern: str) -> str | None:
    """Go's error text for ``pattern``, or None when Go compiles it."""
    try:
        _parse(pattern)
    except _Error as exc:
        return str(exc)
    return None


def _parse(whole: str) -> None:
    # The parse stack, reduced to what errors depend on: "(" (group), "|" (alternation),
    # "x" (something a repetition may follow).
    stack: list[str] = []
    t = whole
    last_repeat = ""
    while t:
        repeat = ""
        c = t[0]
        if c == "(":
            if len(t) >= 2 and t[1] == "?":
                t = _perl_flags(t, stack)
            else:
                stack.append("(")
                t = t[1:]
        elif c == "|":
            _collapse(stack)
            stack.append("|")
            t = t[1:]
        elif c == ")":
            _collapse(stack)
            if len(stack) < 2 or stack[-2] != "(":
                raise _Error("unexpected )", whole)
            del stack[-2:]
            stack.append("x")
            t = t[1:]
        elif c in "*+?":
            before, after = t, t[1:]
            after = _repeat(stack, before, after, last_repeat)
            repeat, t = before, after
        elif c == "{" and (m := _REPEAT.match(t)):
            before, after = t, t[m.end() :]
            low = int(m.group(1))
            high = low if m.group(2) is None else (int(m.group(3)) if m.group(3) else -1)
            if low > 1000 or high > 1000 or (high >= 0 and low > high):
                raise _Error("invalid repeat count", before[: len(before) - len(after)])
            after = _repeat(stack, before, after, last_repeat)
            repeat, t = before, after
        elif c == "[":
            t = _class(t)
            stack.append("x")
        elif c == "\\":
            t = _escape_atom(t) or ""
            stack.append("x")
        else:
            stack.append("x")
            t = t[1:]
        last_repeat = repeat
    _collapse(stack)
    if stack != ["x"]:
        raise _Error("missing closing )", whole)


def _collapse(stack: list[str]) -> None:
    # Concatenate the atoms after the last "(" and fold alternations into one atom.
    while stack and stack[-1] != "(":
        stack.pop()
    stack.append("x")


def _repeat(stack: list[str], before: str, after: str, last_repeat: str) -> str:
    if after.startswith("?"):
        after = after[1:]
    if last_repeat:
        raise _Error(
            "invalid nested repetition operator", last_repeat[: len(last_repeat) - len(after)]
        )
    if not stack or stack[-1] in "(|":
        raise _Error("missing argument to repetition operator", before[: len(before) - len(after)])
    return after


def _perl_flags(s: str, stack: list[str]) -> str:
    t = s
    named = len(t) > 4 and t[2] == "P" and t[3] == "<"
    short = len(t) > 3 and t[2] == "<"
    if named or short:
        end = t.find(">")
        if end < 0:
            raise _Error("invalid named capture", s)
        name = t[(4 if named else 3) : end]
        if not _NAME.fullmatch(name) or not name.isascii():
            raise _Error("invalid named capture", t[: end + 1])
        stack.append("(")
        return t[end + 1 :]
    t = t[2:]
    sign, saw = 1, False
    while t:
        c, t = t[0], t[1:]
        if c in "imsU":
            saw = True
        elif c == "-" and sign > 0:
            sign, saw = -1, False
        elif c in ":)" and (sign > 0 or saw):
            if c == ":":
                stack.append("(")
            return t
        else:
            break
    raise _Error("invalid or unsupported Perl syntax", s[: len(s) - len(t)])


def _escape_atom(t: str) -> str | None:
    """Past an escape outside a class (None: a ``\\Q`` without ``\\E`` takes the rest)."""
    if len(t) >= 2:
        c = t[1]
        if c in "AbBz":
            return t[2:]
        if c == "C":
            raise _Error("invalid escape sequence", t[:2])
        if c == "Q":
            end = t.find("\\E", 2)
            return None if end < 0 else t[end + 2 :]
        if c in "pP":
            return _unicode_class(t)
        if c in _PERL_CLASSES:
            return t[2:]
    return _escape(t)[1]


def _unicode_class(t: str) -> str:
    if len(t) >= 3 and t[2] == "{":
        end = t.find("}")
        if end < 0:
            raise _Error("invalid character class range", t)
        return t[end + 1 :]
    if len(t) < 3:
        raise _Error("invalid character class range", t)
    return t[3:]


def _escape(s: str) -> tuple[str, str]:
    """One escaped character (Go's parseEscape): its value and the rest."""
    t = s[1:]
    if not t:
        raise _Error("trailing backslash at end of expression", "")
    c, t = t[0], t[1:]
    if c.isascii() and not c.isalnum():
        return c, t
    if c in "1234567" and t and "0" <= t[0] <= "7" or c == "0":
        digits = c
        while len(digits) < 3 and t and "0" <= t[0] <= "7":
            digits, t = digits + t[0], t[1:]
        return chr(int(digits, 8)), t
    if c == "x" and t:
        if t[0] == "{":
            end = t.find("}")
            body = t[1:end] if end > 0 else ""
            hexadecimal = body and all(ch in "0123456789abcdefABCDEF" for ch in body)
            if end > 0 and hexadecimal and int(body, 16) <= 0x10FFFF:
                return chr(int(body, 16)), t[end + 1 :]
            t = t[end + 1 :] if end > 0 else ""
        elif len(t) >= 2 and all(ch in "0123456789abcdefABCDEF" for ch in t[:2]):
            return chr(int(t[:2], 16)), t[2:]
        else:
            t = t[2:]
    elif c in "afnrtv":
        return "\a\f\n\r\t\v"["afnrtv".index(c)], t
    raise _Error("invalid escape sequence", s[: len(s) - len(t)])


def _class(s: str) -> str:
    t = s[1:]
    if t.startswith("^"):
        t = t[1:]
    first = True
    while not t or t[0] != "]" or first:
        first = False
        if len(t) > 2 and t[0] == "[" and t[1] == ":":
            end = t.find(":]", 2)
            if end >= 0:
                t = t[end + 2 :]
                continue
        if len(t) >= 2 and t[0] == "\\" and t[1] in "pP":
            t = _unicode_class(t)
            continue
        if len(t) >= 2 and t[0] == "\\" and t[1] in _PERL_CLASSES:
            t = t[2:]
            continue
        rng = t
        lo, t = _class_char(t, s)
        hi = lo
        if len(t) >= 2 and t[0] == "-" and t[1] != "]":
            hi, t = _class_char(t[1:], s)
            if hi < lo:
                raise _Error("invalid character class range", rng[: len(rng) - len(t)])
    return t[1:]


def _class_char(t: str, whole_class: str) -> tuple[str, str]:
    if not t:
        raise _Error("missing closing ]", whole_class)
    if t[0] == "\\":
        return _escape(t)
    return t[0], t[1:]
