# The two set-up commands: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KONTROL := $(BIN)/kontrol
STAMP := $(VENV)/.installed
DEMO_DATA := data/demo
DEMO_KOMMUNE := 151
DEMO_DATO := 2024-05-15

.PHONY: demo test venv clean bench

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(KONTROL) synth --kommune $(DEMO_KOMMUNE) --dato $(DEMO_DATO) --ud $(DEMO_DATA) --seed 1
	$(KONTROL) valider --data $(DEMO_DATA)
	$(KONTROL) oversigt --data $(DEMO_DATA) --dato $(DEMO_DATO)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/samkoer.py

clean:
	rm -rf $(VENV) data reports/*/ .pytest_cache
