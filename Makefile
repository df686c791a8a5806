# Quick start:  make app   (set up and run the app)
#               make test  (set up and run every test: lint, unit, UI, end-to-end in Chromium)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: app test setup assets lint bench clean

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

assets: $(VENV)/.installed
	bash scripts/install_system.sh npm weasyprint
	$(BIN)/python scripts/install_assets.py

app: setup
	$(BIN)/adaptatie demo   # SYNTHETIC demo layers, once (about 1.5 min the first time)
	$(BIN)/streamlit run server.py

lint: setup
	$(BIN)/ruff check .

test: setup
	bash scripts/install_system.sh chromium postgresql
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: setup
	bash scripts/install_system.sh chromium
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/map.py
	$(BIN)/python bench/workshop.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/exposure.py
	$(BIN)/python bench/zonal.py

clean:
	rm -rf $(VENV) static/vendor .cache test-artifacts
