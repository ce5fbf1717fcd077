# The two commands a newcomer needs: `make run` (dashboard on the bundled demo) and `make test` (lint, then every test).
PYTHON ?= python3
PORT ?= 8501

APPS ?= 2

.PHONY: run test test-fast lint format install install-dev demo bench cluster

install:
	$(PYTHON) -m pip install -q -r requirements.txt

install-dev:
	$(PYTHON) -m pip install -q -r requirements-dev.txt
	bash scripts/install-system-deps.sh

run: install
	$(PYTHON) -m streamlit run serve.py --server.port $(PORT)

# The CI command (.ci/run): lint first, then the whole suite.
test: install-dev lint
	$(PYTHON) -m pytest -q

# The inner loop: no browser, no slow tests (about a minute).
test-fast:
	$(PYTHON) -m pytest -q -m "not browser and not slow"

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy
	$(PYTHON) -m sqlfluff lint queries

format:
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .

demo: install
	$(PYTHON) -m karnama demo

bench: install-dev
	$(PYTHON) -m bench.run

# N app processes and nginx (TLS) on this machine: see docs/deployment.md. Pass CERT=… KEY=… for a real certificate.
cluster: install
	$(PYTHON) deploy/cluster.py --apps $(APPS) $(if $(CERT),--cert $(CERT) --key $(KEY))
