# Two commands for a newcomer: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup system-deps bench-deps frontend lint typecheck pytest node-test bench clean

run: setup
	@echo "circuitgrad: open http://$(HOST):$(PORT)/ in your browser (Ctrl-C stops it)"
	$(BIN)/circuitgrad serve --host $(HOST) --port $(PORT)

test: setup lint typecheck node-test pytest

setup: system-deps $(VENV)/.installed frontend

# Graphviz renders SVG/PNG exports; Chromium drives the page tests, and a CJK font lets it draw
# the page's 简体中文 in the screenshots. Installed only when missing, and only where we may
# (root with apt-get); elsewhere the README lists them. nginx is the reverse proxy the deploy
# tests put in front of the server, tini the image's init process (both Debian's, as in the image).
system-deps:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-wqy-microhei"; \
	[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$$missing nginx"; \
	command -v tini >/dev/null || missing="$$missing tini"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "warning: please install$$missing (Debian: apt-get install$$missing)"; \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

# The page's third-party code comes from the npm registry through the lock file.
frontend: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund && npm run vendor
	touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check backend tests bench hatch_build.py

typecheck: $(VENV)/.installed
	$(BIN)/mypy

node-test: frontend
	node --test tests/frontend/

pytest: $(VENV)/.installed
	$(BIN)/pytest

# wrk (Debian's) drives bench/api.py; only the benchmarks need it.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else \
	    echo "warning: please install wrk (Debian: apt-get install wrk)"; \
	  fi; \
	fi

bench: setup bench-deps
	for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) frontend/node_modules frontend/vendor .pytest_cache .mypy_cache .ruff_cache
