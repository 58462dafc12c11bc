# The Linux path: `make demo` and `make test` set up everything they need, then run.
# environment.yml is the cross-platform path (conda).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SYSTEM := $(VENV)/.system-deps
OUT ?= out

.PHONY: all setup system demo test test-fast lint lab bench mutate lock clean

all: demo

system: $(SYSTEM)
$(SYSTEM): scripts/system-deps.sh
	@bash scripts/system-deps.sh
	@mkdir -p $(VENV) && touch $@

# Exact versions with hashes from requirements.lock; the project itself without dependencies on top.
$(INSTALLED): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name casebook --display-name "casebook (Python 3)" >/dev/null
	@touch $@

setup: $(SYSTEM) $(INSTALLED)

demo: setup
	$(BIN)/casebook sample $(OUT)/sample
	$(BIN)/python -m casebook.demo $(OUT)/sample --out $(OUT)

test: setup lint
	$(BIN)/python -m pytest

test-fast: setup lint
	$(BIN)/python -m pytest -m "not slow"

lint: $(INSTALLED)
	$(BIN)/ruff check .

lab: setup
	$(BIN)/jupyter lab --notebook-dir=.

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Mutation testing of the integrity modules with the fast tests (configured in pyproject.toml,
# [tool.mutmut]; not part of CI: tens of minutes on 2 cores). Narrow it with, for example,
# make mutate MUTANTS='evidence.integrity.verify.*'. Results stay in mutants/ (a rerun resumes).
MUTANTS ?=
mutate: setup
	PYTHONPATH=$(CURDIR) $(BIN)/mutmut run $(MUTANTS)
	$(BIN)/python scripts/mutation_score.py

# Refresh the lock (and environment.yml's pins) to the newest versions pyproject.toml allows, reinstall
# from it and run the whole suite: an upgrade is one reviewed change that every test has seen.
lock: $(SYSTEM)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	BIN=$(BIN) bash scripts/lock.sh
	rm -f $(INSTALLED)
	$(MAKE) test

clean:
	rm -rf $(OUT) .pytest_cache mutants
