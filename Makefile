# Musrenbang: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint fmt bench db-start db-stop migrate seed

.venv/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || python3 -m venv .venv
	@$(PIP) install -q --disable-pip-version-check "pip>=25.3"
	@# xstatic-bootstrap 5.3.8 builds with pkg_resources, which setuptools >= 81 dropped.
	@echo "setuptools<81" > .venv/build-constraints.txt
	@$(PIP) install -q --disable-pip-version-check --build-constraint .venv/build-constraints.txt -r requirements.txt
	@touch $@

install: .venv/.installed

# One document worker (manage.py db_worker) runs beside the server; Ctrl-C stops both, and the
# worker is stopped too when the server ends any other way.
run: install
	@test -f .env || cp .env.example .env
	@eval "$$(scripts/db.sh env)" && \
	  export DEBUG=$${DEBUG:-1} HOST=$(HOST) PORT=$(PORT) && \
	  $(PY) manage.py migrate --noinput && \
	  $(PY) manage.py seed_demo && \
	  $(PY) manage.py demo_logins && \
	  { $(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; } && \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT && \
	  $(PY) manage.py runserver $(HOST):$(PORT)

db-start:
	@scripts/db.sh env

db-stop:
	@scripts/db.sh stop

test: install
	@scripts/test.sh $(ARGS)

lint: install
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports --no-logo  # the layers contract in pyproject.toml
	@export DEBUG=1; $(PY) manage.py check && $(PY) manage.py makemigrations --check --dry-run

fmt: install
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

# Seeds kabupaten-scale data into its own database (musrenbang_bench) and measures;
# writes benchmarks/latest.json. `make bench ARGS=--reuse` keeps the seeded data.
# Installs wrk (the load test) when missing, or stops: a skipped measurement is no pass.
bench: install
	@scripts/bench-needs.sh $(ARGS)
	@eval "$$(scripts/db.sh env)" && $(PY) benchmarks/bench.py $(ARGS)
