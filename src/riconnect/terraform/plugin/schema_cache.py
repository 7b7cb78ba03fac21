"""The GetProviderSchema answer, kept on disk between provider processes.

Terraform 1.0 asks every provider process it starts (3-5 per command) for the whole schema,
and building it means importing (often compiling: PYTHONDONTWRITEBYTECODE, an editable
install) every resource and data source module. A provider that names its
``schema_sources`` gets the encoded answer kept in the user's cache directory
(``$XDG_CACHE_HOME/riconnect``, else ``~/.cache/riconnect``), valid while every source file
under those names, the protocol modules and the interpreter are what they were when it was
written (path, size and mtime of each, as Python checks a ``.pyc``). Any difference, an
unreadable or unwritable file: the answer is built as before.
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Callable, Iterable

from .base import Provider
from .log import get_logger

log = get_logger("schema_cache")

# Always part of the stamp: this framework (it encodes the answer) and the protocol modules
# (protobuf itself by its version).
FRAMEWORK_SOURCES = ("riconnect.terraform.plugin", "tfplugin_proto")
_MAGIC = b"riconnect-schema-1\n"


def _files(name: str) -> Iterable[str]:
    module = sys.modules.get(name)
    if module is None:
        import importlib

        module = importlib.import_module(name)
    paths = getattr(module, "__path__", None)
    if paths is None:
        yield module.__file__ or name
        return
    for top in paths:
        for directory, subdirs, files in os.walk(top):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            for file in sorted(files):
                if file.endswith((".py", ".so", ".pyd")):
                    yield os.path.join(directory, file)


def stamp(sources: Iterable[str], protocol: int, provider: str) -> bytes:
    """What the answer depends on, as one comparable string."""
    from google.protobuf import __version__ as protobuf_version

    parts = [f"{provider} protocol {protocol} {sys.version} protobuf {protobuf_version}"]
    for name in (*sources, *FRAMEWORK_SOURCES):
        for path in _files(name):
            st = os.stat(path)
            parts.append(f"{path} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(parts).encode() + b"\n\n"


def cache_path(sources: Iterable[str], protocol: int, type_name: str) -> str | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None  # no home directory to keep it in
    # One file per installed copy (a checkout, a venv): copies never overwrite each other.
    where = sys.modules[next(iter(sources))].__file__ or ""
    copy = zlib.crc32(os.path.dirname(os.path.abspath(where)).encode())
    return os.path.join(base, "riconnect", f"tfschema-{type_name}-p{protocol}-{copy:08x}.bin")


def answer(provider: Provider, protocol: int, build: Callable[[], tuple[bytes, bool]]) -> bytes:
    """The schema answer of ``provider``: from disk when it names its ``schema_sources``."""
    sources = provider.schema_sources
    if not sources:
        return build()[0]
    cls = type(provider)
    path = cache_path(sources, protocol, provider.type_name)
    if path is None:
        return build()[0]
    key = stamp(sources, protocol, f"{cls.__module__}.{cls.__qualname__}")
    return cached(path, key, build)


def cached(path: str, key: bytes, build: Callable[[], tuple[bytes, bool]]) -> bytes:
    """The answer kept at ``path`` under ``key``, else ``build()`` (answer, cacheable)
    and keep it when cacheable."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        head = _MAGIC + key
        if data.startswith(head):
            size = int.from_bytes(data[len(head) : len(head) + 8], "big")
            kept = data[len(head) + 8 :]
            if len(kept) == size:  # else cut short by something else: build it again
                return kept
    except OSError:
        pass
    answer, cacheable = build()
    if cacheable:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temp = f"{path}.{os.getpid()}.tmp"
            try:
                with open(temp, "wb") as f:
                    f.write(_MAGIC + key + len(answer).to_bytes(8, "big") + answer)
                os.replace(temp, path)  # atomic: other processes read either file whole
            finally:
                if os.path.exists(temp):
                    os.unlink(temp)
        except OSError:
            log.debug("schema answer not kept at %s", path, exc_info=True)
    return answer
