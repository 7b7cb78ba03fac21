"""The schema answer kept on disk: used while its sources stand still, built again otherwise."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tfplugin_proto import tfplugin6_0_pb2 as pb

from riconnect.terraform.plugin import schema_cache
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.tfplugin6 import Servicer, call, schema_answer
from tests.terraform.plugin.test_configure import Configured


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An importable package ``cachedpkg`` with one module."""
    root = tmp_path / "src"
    (root / "cachedpkg" / "sub").mkdir(parents=True)
    (root / "cachedpkg" / "__init__.py").write_text("")
    (root / "cachedpkg" / "sub" / "things.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.delitem(sys.modules, "cachedpkg", raising=False)
    return root / "cachedpkg"


def _builder(
    answer: bytes, cacheable: bool = True
) -> tuple[list[int], Callable[[], tuple[bytes, bool]]]:
    built: list[int] = []

    def build() -> tuple[bytes, bool]:
        built.append(1)
        return answer, cacheable

    return built, build


def test_kept_while_the_sources_stand_still(package: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "cache" / "schema.bin")
    key = schema_cache.stamp(["cachedpkg"], 5, "p.P")
    built, build = _builder(b"answer")
    assert schema_cache.cached(path, key, build) == b"answer"
    assert schema_cache.cached(path, key, build) == b"answer"
    assert built == [1]
    assert schema_cache.stamp(["cachedpkg"], 5, "p.P") == key
    # Another protocol or provider is another answer.
    assert schema_cache.stamp(["cachedpkg"], 6, "p.P") != key
    assert schema_cache.stamp(["cachedpkg"], 5, "p.Q") != key


@pytest.mark.parametrize("change", ["edit", "touch", "add", "remove"])
def test_any_source_change_builds_it_again(package: Path, tmp_path: Path, change: str) -> None:
    path = str(tmp_path / "schema.bin")
    key = schema_cache.stamp(["cachedpkg"], 5, "p.P")
    schema_cache.cached(path, key, _builder(b"old")[1])
    module = package / "sub" / "things.py"
    if change == "edit":
        module.write_text("X = 2\n")
    elif change == "touch":
        st = module.stat()
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    elif change == "add":
        (package / "sub" / "more.py").write_text("")
    else:
        module.unlink()
    new_key = schema_cache.stamp(["cachedpkg"], 5, "p.P")
    assert new_key != key
    built, build = _builder(b"new")
    assert schema_cache.cached(path, new_key, build) == b"new"
    assert built == [1]


def test_an_answer_with_diagnostics_is_not_kept(tmp_path: Path) -> None:
    path = str(tmp_path / "schema.bin")
    schema_cache.cached(path, b"k", _builder(b"failed", cacheable=False)[1])
    assert not os.path.exists(path)


def test_a_cut_short_file_is_built_again(tmp_path: Path) -> None:
    path = tmp_path / "schema.bin"
    schema_cache.cached(str(path), b"k", _builder(b"answer")[1])
    path.write_bytes(path.read_bytes()[:-2])
    built, build = _builder(b"answer")
    assert schema_cache.cached(str(path), b"k", build) == b"answer"
    assert built == [1]


def test_an_unwritable_place_still_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")  # a file where the directory would go
    built, build = _builder(b"answer")
    for _ in range(2):
        answer = schema_cache.cached(str(blocker / "schema.bin"), b"k", build)
        assert answer == b"answer"
    assert built == [1, 1]


class CachedProvider(Configured):
    schema_sources = ("tests.terraform.plugin.test_configure",)


def test_the_kept_answer_is_the_built_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    request = pb.GetProviderSchema.Request()
    built = call(Servicer(Engine(Configured())), "GetProviderSchema", request)
    first = schema_answer(Servicer(Engine(CachedProvider())), request)
    kept = list((tmp_path / "riconnect").iterdir())
    assert len(kept) == 1 and kept[0].name.startswith("tfschema-cfg-p6-")
    second = schema_answer(Servicer(Engine(CachedProvider())), request)
    assert second == first
    assert pb.GetProviderSchema.Response.FromString(second) == built
