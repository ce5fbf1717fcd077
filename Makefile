# The two commands a newcomer needs: `make run` (dashboard on the bundled demo) and `make test` (everything).
PYTHON ?= python3
PORT ?= 8501

APPS ?= 2

.PHONY: run test install install-dev demo bench cluster

install:
	$(PYTHON) -m pip install -q -r requirements.txt

install-dev:
	$(PYTHON) -m pip install -q -r requirements-dev.txt
	bash scripts/install-system-deps.sh

run: install
	$(PYTHON) -m streamlit run app.py --server.port $(PORT)

test: install-dev
	$(PYTHON) -m pytest -q

demo: install
	$(PYTHON) -m karnama demo

bench: install-dev
	$(PYTHON) -m bench.run

# N app processes and nginx (TLS) on this machine: see docs/deployment.md. Pass CERT=… KEY=… for a real certificate.
cluster: install
	$(PYTHON) deploy/cluster.py --apps $(APPS) $(if $(CERT),--cert $(CERT) --key $(KEY))
