# The kiosk's everyday commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DIR := .demo
export QT_QPA_PLATFORM ?= offscreen

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

system: ## install the Debian/Ubuntu libraries the kiosk needs (libzbar0, Qt runtime)
	@bash scripts/bootstrap-system.sh

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@bash scripts/bootstrap-system.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

venv: $(STAMP) ## create .venv with the pinned dependencies

translations: $(STAMP) ## build the screen's .qm catalogues from kiosk/ui/i18n/*.ts
	$(PY) -c 'from kiosk.ui.i18n import compile_catalogues; compile_catalogues(force=True)'

run: $(STAMP) translations ## the kiosk's window, enrolled with the reference portal; demo codes when no camera
	@bash scripts/run_gui_demo.sh

demo-cli: $(STAMP) ## the demo without a screen: mint demo keys and credentials, verify each
	$(PY) -m devportal mint-demo --out $(DEMO_DIR)
	@echo
	$(VENV)/bin/kiosk --data-dir $(DEMO_DIR)/kiosk-data verify \
		--anchor "$$(cat $(DEMO_DIR)/anchor.hex)" \
		--trust-list $(DEMO_DIR)/trust-list.cose --revocations $(DEMO_DIR)/revocations.cose \
		$(DEMO_DIR)/credentials/*.png || true

demo-gate: $(STAMP) ## a headless gate from config/examples/gate-relay.toml: minted codes open a demo relay
	@rm -f $(DEMO_DIR)/relay.log; mkdir -p $(DEMO_DIR)
	$(PY) -m devportal mint-demo --out $(DEMO_DIR) >/dev/null
	RELAY_LOG=$(DEMO_DIR)/relay.log $(VENV)/bin/kiosk --config config/examples/gate-relay.toml \
		--data-dir $(DEMO_DIR)/gate-data run --headless --max-events 6 --duration 60 \
		--source images:$(DEMO_DIR)/credentials --anchor "$$(cat $(DEMO_DIR)/anchor.hex)" \
		--trust-list $(DEMO_DIR)/trust-list.cose --revocations $(DEMO_DIR)/revocations.cose
	@echo "--- the relay opened:"; cat $(DEMO_DIR)/relay.log
	@echo "--- the journal's gate actions:"
	@$(VENV)/bin/kiosk --data-dir $(DEMO_DIR)/gate-data journal export --from 2000-01-01 \
		--to 2100-01-01 --format jsonl 2>/dev/null | grep '"gate.action"' || true

demo-site: $(STAMP) ## a broker and two headless lanes (entry, exit) of one site; the shared occupancy
	@bash scripts/run_site_demo.sh

test: $(STAMP) translations ## run the tests (the default, quick run)
	$(PY) -m pytest -m "not slow" -q

test-long: $(STAMP) translations ## run the long tests too (crash loops, soaks), then the screen soak
	$(PY) -m pytest -q
	$(MAKE) soak-screen

soak-screen: $(STAMP) translations ## the real window on the demo codes under Xvfb, memory sampled (MINUTES=60)
	$(PY) -m bench.screen_soak --minutes $(or $(MINUTES),60) $(ARGS)

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fuzz: $(STAMP) ## a million mutated and random inputs to the verifier and the list and badge parsers (long; ARGS=--runs N)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-fuzz.txt
	$(PY) -m tests.fuzz.fuzz_main $(ARGS)

bench: $(STAMP) ## verification throughput (one core); the other bench-* targets measure the rest
	$(PY) -m bench.verify_bench $(ARGS)

bench-decoder: $(STAMP) ## decoder benchmark: ours vs plain zxing-cpp and pyzbar (ARGS=--quick)
	$(PY) -m bench.decoder_bench $(ARGS)

bench-pipeline: $(STAMP) ## frame-in to event latency at 1080p
	$(PY) -m bench.pipeline_bench $(ARGS)

bench-journal: $(STAMP) ## durable events/s, stats for a busy day, size of a year
	$(PY) -m bench.journal_bench $(ARGS)

bench-site: $(STAMP) ## the site bus: cross-lane latency, 50 lanes, a partition's convergence (ARGS=--quick)
	$(PY) -m bench.site_bench $(ARGS)

bench-sync: $(STAMP) ## backlog drain and a 200-kiosk fleet against the reference portal (ARGS=--quick)
	$(PY) -m bench.sync_bench $(ARGS)

bench-frame-path: $(STAMP) ## the files one frame passes through, per thread (ARGS=--root DIR for another checkout)
	$(PY) -m bench.frame_path $(ARGS)

bench-hostile-portal: $(STAMP) ## kiosk sync against a hostile portal (bombs, drips, black hole): time and peak RSS
	$(PY) -m bench.hostile_portal_bench $(ARGS)

soak-storage: $(STAMP) ## a kiosk on a 4 MB filesystem filled and freed while scanning (root: tmpfs)
	$(PY) -m bench.storage_soak $(ARGS)

bench-ui: $(STAMP) translations ## the screen: scan-to-verdict latency and preview frame rate
	$(PY) -m bench.ui_latency $(ARGS)

bench-startup: dist-build ## the built app: start to window (READY) and the folder size
	$(PY) -m bench.startup_bench --app dist/kiosk/kiosk $(ARGS)

dist: test dist-build ## test, then build the one-folder app in dist/kiosk and smoke-test it

dist-build: $(STAMP) translations ## build dist/kiosk with kiosk.spec and smoke-test it (no tests)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dist.txt
	$(VENV)/bin/pyinstaller --noconfirm --clean kiosk.spec
	bash packaging/smoke_test.sh dist/kiosk/kiosk
	@du -sh dist/kiosk

config: $(STAMP) ## write config/kiosk.toml from the declared settings
	$(VENV)/bin/kiosk config default > config/kiosk.toml

clean: ## remove the venv and build output
	rm -rf $(VENV) build dist $(DEMO_DIR) .fuzz kiosk/ui/i18n/*.qm

.PHONY: help system venv translations run demo-cli demo-gate demo-site bench-site test test-long soak-screen soak-storage \
	lint fuzz bench bench-decoder bench-pipeline bench-journal bench-sync bench-hostile-portal \
	bench-ui bench-startup dist dist-build config clean
