# movierec: `make run` starts the whole stack locally, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12: pyenv's 3.12.1 where there is one, else any python3.12 on PATH.
PYTHON312 := $(shell for candidate in "$$(pyenv root 2>/dev/null)/versions/3.12.1/bin/python3.12" "$$(command -v python3.12)"; do \
	if [ -x "$$candidate" ] && "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then \
	echo "$$candidate"; break; fi; done)
# `sam build` looks for python3.12 on PATH.
export PATH := $(dir $(PYTHON312)):$(PATH)
export SAM_CLI_TELEMETRY := 0

VENV := .venv
SAM_VENV := .venv-sam
PY := $(VENV)/bin/python
NODE_MODULES := miniprogram/node_modules

.PHONY: help run setup test lint format test-python test-miniprogram fuzz sam-validate sam-build bench load clean check-python \
	screenshots screenshot-browser

help:
	@echo "make run    start the local stack (API on http://127.0.0.1:$${PORT:-3000}; WARM_UP=1 warms the movie cache)"
	@echo "make test   lint, validate and build the SAM template, run the Python and mini-program tests"
	@echo "make bench  prompt tokens per mode; time to first card and to done against fake upstreams"
	@echo "make load   a burst of requests and many pollers against the local stack"
	@echo "make fuzz   only the schemathesis run against the API (make test runs it too)"
	@echo "make screenshots  draw every mini-program page state at 375x812 and 375x667 (miniprogram/build/screenshots)"

check-python:
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is needed: install it (pyenv install 3.12) or put python3.12 on PATH" >&2; exit 1; }

$(VENV)/.installed: requirements.txt requirements-dev.txt shared/requirements.txt | check-python
	test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# sam and cfn-lint pin older boto3 and pydantic than the runtime: they get a venv of their own.
$(SAM_VENV)/.installed: requirements-sam.txt | check-python
	test -x $(SAM_VENV)/bin/python || $(PYTHON312) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-sam.txt
	touch $@

$(NODE_MODULES)/.installed: miniprogram/package.json miniprogram/package-lock.json
	cd miniprogram && npm ci --no-audit --no-fund
	touch $@

# WARM_UP=1 warms the movie cache from Douban's lists at start (the deployed stack does it daily).
run: $(VENV)/.installed
	$(PY) -m local $(if $(WARM_UP),--warm-up)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=shared $(VENV)/bin/lint-imports --no-logo --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

sam-validate: $(SAM_VENV)/.installed
	$(SAM_VENV)/bin/sam validate --lint --region us-east-1

sam-build: $(SAM_VENV)/.installed
	$(SAM_VENV)/bin/sam build --region us-east-1 --parallel

# One test file per worker (--dist loadfile), so that a file's local stack is started once.
test-python: $(VENV)/.installed
	$(VENV)/bin/pytest -n 2 --dist loadfile

test-miniprogram: $(NODE_MODULES)/.installed
	cd miniprogram && npx jest --ci

# The three environments are independent: set up at once (pip and npm wait on the registries as much as on the CPU).
setup:
	@$(MAKE) --no-print-directory -j3 --output-sync=target $(VENV)/.installed $(SAM_VENV)/.installed $(NODE_MODULES)/.installed

test: setup lint sam-validate sam-build test-python test-miniprogram

fuzz: $(VENV)/.installed
	$(VENV)/bin/pytest tests/fuzz

bench: $(VENV)/.installed
	$(PY) -m bench.prompt_tokens
	$(PY) -m bench

load: $(VENV)/.installed
	$(PY) -m bench.load

# Debian's Chromium and a CJK font draw the renders (apt needs root: sudo where we are not).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
screenshot-browser:
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh | grep -q .; then \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-noto-cjk; fi

# The real pages in each state (miniprogram-simulate), then drawn by headless Chromium.
screenshots: $(NODE_MODULES)/.installed screenshot-browser
	rm -rf miniprogram/build/screenshots
	cd miniprogram && npx jest -c tools/screenshots/jest.config.js && node tools/screenshots/shoot.js

clean:
	rm -rf $(VENV) $(SAM_VENV) .aws-sam $(NODE_MODULES) miniprogram/build
