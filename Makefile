# Offerbound's two everyday commands: `make run` and `make test`. Both create the virtual
# environment (.venv) and install what they need on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test demo lint format docs bench clean check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Offerbound needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

## run: install and start the bot (the console on SQLite when no token is configured)
run: $(VENV)/.installed
	$(BIN)/offerbound run $(ARGS)

## test: install the test dependencies, lint, check types and layers, and run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

## demo: play a scripted cohort week and print the results
demo: $(VENV)/.installed
	$(BIN)/offerbound demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## docs: regenerate everything derived from the command registry (README table, Slack
## manifest, Discord command tree)
docs: $(VENV)/.installed
	$(BIN)/python -m bot.docs README.md
	$(BIN)/offerbound slack manifest
	$(BIN)/offerbound discord commands --write

## bench: run the benchmarks in tests/perf and write docs/benchmarks.md
bench: $(VENV)/.installed-test
	$(BIN)/python -m tests.perf $(ONLY)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis offerbound-files
