# Convene: run `make run` to serve a meeting on SQLite, `make test` to lint and run every test.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.PHONY: install run serve migrate test lint format bench clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate  ## create .venv and install dependencies

migrate: install  ## create instance/ and bring the database schema up to date
	$(BIN)/python -m convene db upgrade

run: migrate  ## development server on SQLite, prints the links to start with
	$(BIN)/python -m convene run

serve: migrate  ## production server: gunicorn + gevent (default) or ASYNC_MODE=eventlet
	$(BIN)/python -m convene serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint  ## ruff, then every test (browser and PostgreSQL tests skip with a reason when absent)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/tally.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
