# Quick start:  make app   (set up and run the app)
#               make test  (set up and run every test: lint, unit, UI, end-to-end in Chromium)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: app test setup assets browser lint bench clean

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

assets: $(VENV)/.installed
	$(BIN)/python scripts/install_assets.py

browser:
	bash scripts/install_browser.sh

app: setup
	$(BIN)/streamlit run app.py

lint: setup
	$(BIN)/ruff check .

test: setup browser
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: setup browser
	$(BIN)/python bench/map.py

clean:
	rm -rf $(VENV) static/vendor .cache test-artifacts
