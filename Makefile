VENV ?= .venv
PY := $(VENV)/bin/python
CREDO := $(VENV)/bin/credo
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist); 0 runs the suite in this process.
TEST_WORKERS ?= auto

.PHONY: run test lint bench messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(CREDO) migrate --no-input
	$(CREDO) demo --if-empty
	$(CREDO) serve 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m ruff check src tests benchmarks
	$(CREDO) makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run.py $(BENCH_ARGS)

messages: $(STAMP)
	cd src/credo && ../../$(CREDO) makemessages -l zh_Hans --no-obsolete && ../../$(CREDO) compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) var credo.sqlite3
