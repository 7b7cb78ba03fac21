# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
export CHECKPOINT_DISABLE := 1

.PHONY: demo test lint typecheck wheel bench bench-quick reliability clean official-provider official-provider-background

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/riconnect demo

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# The official alicloud provider's build (Go, about 15-25 minutes the first time, then cached
# outside the repository) starts first, in the background; its tests run last and wait for it.
# The whole suite includes tests/cli/test_cli_wheel.py: the built wheel installed into a
# fresh venv runs `riconnect demo` from outside the checkout.
test: official-provider-background lint typecheck
	$(BIN)/pytest -q

official-provider-background:
	@scripts/build-official-provider --background

# Build (or find) the official provider in the foreground; prints the binary's path.
official-provider:
	scripts/build-official-provider

# The installable package: dist/riconnect-<version>-py3-none-any.whl.
wheel: $(VENV)/.installed
	$(BIN)/python -m build --wheel --outdir dist .

# Benchmarks (bench/): riconnect next to moto, and next to the floor Terraform allows.
bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m bench

bench-quick: $(VENV)/.installed
	$(BIN)/python -m bench --quick --out $${TMPDIR:-/tmp}/riconnect-bench-quick

# The full reliability run (about 10 minutes); refreshes docs/reliability.md.
reliability: $(VENV)/.installed
	RICONNECT_RELIABILITY=full $(BIN)/pytest -q -m reliability tests/reliability

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache build dist
