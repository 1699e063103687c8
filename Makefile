# Liaison: `make run` to try it, `make test` for the whole suite. Everything a fresh machine needs is here.
SHELL := /bin/bash
# Liaison runs on Python 3.11 (pyproject.toml); use python3.11 where the machine has it under that name.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install assets chromium run migrate demo test test-fast bench bench-national lint format check-migrations worker beat clean

help:
	@echo "make run     install, migrate, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test    install, then lint, migration check and the whole test suite"
	@echo "make lint    ruff check and format check"
	@echo "make bench   time what the issues give a budget for (10,000-row sample upload: 5 s)"
	@echo "make bench-national  grow the data to national scale on PostgreSQL and measure pages, exports and the scan"
	@echo "make worker  a Celery worker (needs CELERY_BROKER_URL); make beat for the scheduler"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
		echo "Liaison needs Python 3.11; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
		echo "Install Python 3.11 (Debian 12: apt-get install -y python3 python3-venv) or run make PYTHON=/path/to/python3.11"; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the GOV.UK Frontend assets: install Node.js 20 or later (Debian: apt-get install -y nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/liaison.css: node_modules/.installed static/scss/liaison.scss
	npm run --silent build:css

assets: build/static/css/liaison.css

install: $(VENV)/.installed assets

# Browser tests drive the system Chromium; Playwright's own browser download cannot work here.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM). On Debian or Ubuntu run: sudo apt-get install -y chromium"; \
		echo "(or set CHROMIUM=/path/to/chromium)"; exit 1; \
	fi

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

run: demo
	@echo "Serving Liaison on http://$(HOST):$(PORT) (sign in with a demo user above)"
	$(MANAGE) runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	DJANGO_SETTINGS_MODULE=liaison.settings.test DATABASE_URL=sqlite://:memory: $(MANAGE) makemigrations --check --dry-run

test: install chromium lint check-migrations
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest

# Everything but the browser and service tests, for a quick loop while coding.
test-fast: install
	$(BIN)/pytest -m "not browser and not services" -q

# Timings live here, never in the test suite; DATABASE_URL chooses the database as for the tests.
bench: install
	$(BIN)/python bench/uploads.py

# Grows the demo to national scale in its own PostgreSQL database (BENCH_DATABASE_URL) and measures every budget.
bench-national: install
	$(BIN)/python bench/national.py $(BENCH_ARGS)

worker: install
	$(BIN)/celery -A liaison worker --loglevel=info

beat: install
	$(BIN)/celery -A liaison beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules build staticfiles .pytest_cache .ruff_cache
