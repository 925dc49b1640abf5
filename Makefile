# wufei: `make demo` runs the main job on the embedded defaults, `make test` runs the tests.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)

.PHONY: install system-packages demo demo-short test test-sqlite test-postgres test-nodb test-faults check bench clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

# Debian packages: PostgreSQL, Chromium and CJK fonts (browser tests, rendered bulletins, charts).
system-packages:
	@scripts/system-packages.sh

# The charts' CJK font comes with the Python dependencies (noto-cjk-sans-otc): no system package needed.
demo: install
	$(PY) -m wufei.demo

# The same set-up, flows, charts, outbox and portal links over January 2023 only (CI runs it).
demo-short: install
	WUFEI_DEMO_SHORT=1 $(PY) -m wufei.demo

# Both databases at once (2 cores), and the tests that reach no database once (marked nodb by
# tests/conftest.py), started when a core frees up; each pass's output is printed whole when it ends.
# The PostgreSQL pass, the longest, runs on two pytest-xdist workers so that it takes up both cores
# once the others are done; a module's tests, and the tests sharing the Prefect test server, stay on
# one worker, the slow ones handed out first (tests/conftest.py).
test: install system-packages
	$(MAKE) --no-print-directory -k -j2 --output-sync=target test-postgres test-sqlite test-nodb

XDIST := -n 2 --dist loadgroup --no-loadscope-reorder

# Each pass ends with its ten slowest tests, so a slow fixture shows itself.
test-sqlite: install system-packages
	$(PY) -m pytest -q --durations=10 -m 'not postgresql and not nodb'

# Installs Debian's PostgreSQL if missing and starts a throwaway server on loopback.
test-postgres: install system-packages
	WUFEI_TEST_DATABASE_URL=$$(scripts/postgres.sh) $(PY) -m pytest -q --durations=10 -m 'not nodb' $(XDIST)

# Importer grammar, corpus, readers, pure rules: the same on either database. A nodb test that opens a
# database connection fails here, so a test the marking misjudges shows itself.
test-nodb: install system-packages
	$(PY) -m pytest -q --durations=10 -m nodb

# The fault suite of issue 14 alone (it runs in both passes of `make test` too): kill -9 of a worker
# on a real Prefect server, PostgreSQL restarted under a scan and a delivery, two scans at once,
# answers lost after sending, migrations keeping every row. SQLite, then PostgreSQL.
test-faults: install system-packages
	$(PY) -m pytest -q --durations=10 -m 'faults and not postgresql'
	WUFEI_TEST_DATABASE_URL=$$(scripts/postgres.sh) $(PY) -m pytest -q --durations=10 -m faults

# Lint, format (ruff) and types (mypy: strict on the pure rule modules; see pyproject.toml).
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: install
	$(PY) bench/run.py

clean:
	rm -rf out wufei.db wufei.db-wal wufei.db-shm
