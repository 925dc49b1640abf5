# wufei: `make demo` runs the main job on the embedded defaults, `make test` runs the tests.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)

# Python's bytecode cache on, even where the environment turns it off (PYTHONDONTWRITEBYTECODE, set by
# some container images): otherwise every CLI, worker and flow process compiles wufei again, and every
# pytest worker rewrites every test module again (about 4 s of CPU a worker).
unexport PYTHONDONTWRITEBYTECODE

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

# Both databases at once, each pass on two pytest-xdist workers: four processes on 2 cores, so that
# while a test waits (a Prefect heartbeat, a server starting, a subprocess) another uses the core.
# The tests that reach no database (marked nodb by tests/conftest.py) run once, in the SQLite pass, and
# so do those marked backend_independent (a database there, but what they prove is not about it).
# A module's tests, and the users of a shared session fixture (the Prefect test server, the 2023
# replay), stay on one worker; the longest groups are handed out first (tests/conftest.py). Each
# pass's output is printed whole when it ends, with its ten slowest tests.
test: install system-packages
	$(MAKE) --no-print-directory -k -j2 --output-sync=target test-postgres test-sqlite

XDIST := -n 2 --dist loadgroup --no-loadscope-reorder

test-sqlite: install system-packages
	$(PY) -m pytest -q --durations=10 -m 'not postgresql' $(XDIST)

# Installs Debian's PostgreSQL if missing and starts a throwaway server on loopback.
test-postgres: install system-packages
	WUFEI_TEST_DATABASE_URL=$$(scripts/postgres.sh) $(PY) -m pytest -q --durations=10 -m 'not nodb and not backend_independent' $(XDIST)

# Importer grammar, corpus, readers, pure rules: the same on either database. A nodb test that opens a
# database connection fails, so a test the marking misjudges shows itself.
test-nodb: install system-packages
	$(PY) -m pytest -q --durations=10 -m nodb $(XDIST)

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
