# The two set-up commands: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KONTROL := $(BIN)/kontrol
STAMP := $(VENV)/.installed
DEMO_DATA := data/demo
DEMO_KOMMUNE := 151
DEMO_DATO := 2024-05-15

.PHONY: demo test test-serial venv clean bench system-deps proxy server

# Debian packages the product needs: PostgreSQL (store tests against a team server), Chromium
# (offline browser tests of widgets and reports), poppler-utils (pdftotext in report tests),
# Pango and HarfBuzz (WeasyPrint renders the PDFs),
# fonts. Installed here, never by hand; skipped when already present. (npm, for JupyterHub's proxy,
# is installed by `make proxy` only where no npm is on PATH: Debian's npm conflicts with a
# NodeSource nodejs that brings its own.)
DEB_PACKAGES := postgresql chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_STAMP := $(VENV)/.system-deps

system-deps: $(SYSTEM_STAMP)

$(SYSTEM_STAMP):
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installerer Debian-pakker: $$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi
	mkdir -p $(VENV) && touch $(SYSTEM_STAMP)

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The main job on synthetic data for Ballerup: registers → validation → samkøring into the case
# store (with a history of earlier cases and the local control lists) → a national simulation
# for the benchmark → annual report, committee briefing, benchmark report and the rule-effect report
# (which rules pay, are they fair), and the national ranking of the rules over the simulation. The demo store is a
# real store: everything is done as the operating-system login, which creates it (administrator)
# and grants itself every role; a different name on the command line is refused.
DEMO_DB := sqlite:///$(DEMO_DATA)/kontrol.sqlite
DEMO_AAR := 2023
# The national simulation behind the benchmark: 24 months, so the report's trend has every window.
DEMO_BENCHMARK_FRA := 2022-01
DEMO_NATIONAL := $(DEMO_DATA)/national/benchmark.csv

demo: $(STAMP) $(SYSTEM_STAMP)
	rm -rf $(DEMO_DATA)
	$(KONTROL) synth --kommune $(DEMO_KOMMUNE) --dato $(DEMO_DATO) --ud $(DEMO_DATA)/registre --seed 1
	$(KONTROL) lister-berig --data $(DEMO_DATA)/registre --dato $(DEMO_DATO)
	$(KONTROL) valider --data $(DEMO_DATA)/registre
	$(KONTROL) oversigt --data $(DEMO_DATA)/registre --dato $(DEMO_DATO)
	$(KONTROL) synth-sager --kommune $(DEMO_KOMMUNE) --fra 2019 --til 2024 --aabne-til $(DEMO_DATO) --seed 1 --ud $(DEMO_DATA)/kontrolsager.csv
	$(KONTROL) rolle --giv "$$(id -un)" --rolle alle --db $(DEMO_DB)
	$(KONTROL) importer-sager --sager $(DEMO_DATA)/kontrolsager.csv --db $(DEMO_DB)
	$(KONTROL) koer --data $(DEMO_DATA)/registre --dato $(DEMO_DATO) --db $(DEMO_DB)
	$(KONTROL) lister --data $(DEMO_DATA)/registre --dato $(DEMO_DATO) --db $(DEMO_DB)
	$(KONTROL) simuler --national --fra $(DEMO_BENCHMARK_FRA) --til $(DEMO_AAR)-12 --skala 0.02 --seed 1 --ud $(DEMO_DATA)/national --erstat --stille
	$(KONTROL) rapport --kommune $(DEMO_KOMMUNE) --aar $(DEMO_AAR) --type aarsrapport --db $(DEMO_DB) --benchmark $(DEMO_NATIONAL)
	$(KONTROL) rapport --kommune $(DEMO_KOMMUNE) --aar $(DEMO_AAR) --type udvalgsorientering --db $(DEMO_DB) --benchmark $(DEMO_NATIONAL)
	$(KONTROL) rapport --kommune $(DEMO_KOMMUNE) --aar $(DEMO_AAR) --type benchmark --benchmark $(DEMO_NATIONAL) --db sqlite:///$(DEMO_DATA)/national/kontrol.sqlite
	$(KONTROL) rapport --kommune $(DEMO_KOMMUNE) --aar $(DEMO_AAR) --type regeleffekt --db $(DEMO_DB)
	$(KONTROL) regeleffekt --db sqlite:///$(DEMO_DATA)/national/kontrol.sqlite --aar $(DEMO_AAR) --ud $(DEMO_DATA)/national/regeleffekt.csv
	@echo "Demoen er færdig. Rapporterne ligger i reports/$(DEMO_KOMMUNE)-ballerup/$(DEMO_AAR)/"

# JupyterHub's proxy (configurable-http-proxy, pinned) from the npm registry, into the venv:
# the team server (`make server`, docs/drift.md) and the hub test need it.
CHP_VERSION := 5.3.0
CHP_DIR := $(VENV)/chp
CHP := $(CHP_DIR)/node_modules/.bin/configurable-http-proxy

proxy: $(CHP)

$(CHP): $(SYSTEM_STAMP)
	@command -v npm >/dev/null || { echo "Installerer Debian-pakken npm"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q npm; }
	mkdir -p $(CHP_DIR)
	npm install --prefix $(CHP_DIR) --no-audit --no-fund --no-save configurable-http-proxy@$(CHP_VERSION)
	test -x $(CHP)

# The team server on this machine: JupyterHub configured from $(SERVER_CONFIG), the scheduled jobs
# installed (systemd timers, or /etc/cron.d without systemd), then the hub started (docs/drift.md).
SERVER_CONFIG ?= /etc/kontrol/server.yaml
server: $(STAMP) $(SYSTEM_STAMP) $(CHP)
	$(KONTROL) server --config $(SERVER_CONFIG)

# The house stays one-way: import-linter's contracts (pyproject.toml) before the tests.
# The suite runs on every core (pytest-xdist; tests/conftest.py keeps tests that share a module
# fixture, and those that start servers or browsers, together); a test hung for ten minutes fails
# alone with its traceback (pytest-timeout). `make test-serial` runs it in one process.
test: $(STAMP) $(SYSTEM_STAMP) $(CHP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n auto --dist loadgroup

test-serial: $(STAMP) $(SYSTEM_STAMP) $(CHP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/samkoer.py

clean:
	rm -rf $(VENV) data reports/*/ .pytest_cache
