# chaindock: `make run` serves the demo on SQLite; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install openapi bench bench-load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/chaindock migrate
	$(BIN)/chaindock seed-demo --if-empty
	$(BIN)/chaindock create-token --role admin --name "make run" --email admin@chaindock.local --print-banner
	$(BIN)/chaindock serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/ruff check app tests migrations/env.py
	$(BIN)/ruff format --check app tests migrations/env.py
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix app tests migrations/env.py
	$(BIN)/ruff format app tests migrations/env.py

bench: $(STAMP)
	$(BIN)/python -m bench.matching
	$(BIN)/python -m bench.scheduling
	$(BIN)/python -m bench.analytics
	$(BIN)/python -m bench.middleware

bench-load: $(STAMP)  # needs PostgreSQL and wrk
	$(BIN)/python -m bench.load

openapi: $(STAMP)
	$(BIN)/chaindock openapi > openapi/openapi.json

clean:
	rm -rf $(VENV) var .pytest_cache
