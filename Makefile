# CTIP Case Tracker — two commands: `make run` and `make test`.
# DATABASE_URL switches any target to PostgreSQL, e.g.
#   make test DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test` runs the suite on every core (pytest-xdist, one test database per worker); TEST_WORKERS=0 runs it
# in one process.
TEST_WORKERS ?= auto

.PHONY: setup run test lint typecheck pytest browser e2e collectstatic clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip

# Reinstall only when a requirements file changed since the last install.
$(STAMP): requirements/base.txt requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

# The translation catalogues are compiled every time (Babel, pure Python; only those changed since).
setup: $(STAMP)
	$(PY) manage.py compile_translations

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Serving the CTIP Case Tracker at http://$(HOST):$(PORT)/ with a background worker (Ctrl-C stops both)"
	@# The worker (scheduled jobs, background exports, e-mail) runs beside the server and stops with it.
	$(PY) manage.py run_worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	@schema=$$(mktemp --suffix=.yml) && $(PY) manage.py spectacular --validate --fail-on-warn --file $$schema; \
		status=$$?; rm -f $$schema; exit $$status
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist load

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: setup
	$(VENV)/bin/mypy .

pytest: setup
	$(VENV)/bin/pytest $(ARGS)

e2e: setup
	E2E_REQUIRED=1 $(VENV)/bin/pytest tests/e2e $(ARGS)

# Debian's Chromium for the browser tests (never `playwright install`).
browser:
	@if [ -x /usr/bin/chromium ]; then echo "Chromium is installed: $$(/usr/bin/chromium --version)"; \
	else SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; fi

collectstatic: setup
	$(PY) manage.py collectstatic --noinput

# Issue 20's table, tracker against reference, on the local PostgreSQL (docs/performance.md). It creates and
# drops its own database ctip_bench_<pid>; BENCH_SIZES=small for a quick 1,000-case run; ARGS="--rounds 9".
# The case register import against its plain service loop: benchmarks/import_bench.py (run as its docstring says).
BENCH_SIZES ?= national
bench: setup
	BENCH_SIZES=$(BENCH_SIZES) $(PY) -m benchmarks.national $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache staticfiles
