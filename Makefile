# Convene: run `make run` to serve a meeting on SQLite, `make test` to lint and run every test.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

.PHONY: install lock run serve migrate test lint js-check format bench clean translations

# Dependencies: requirements.in (runtime) and requirements-dev.in (tests, lint, bench) name
# what we use; requirements.txt and requirements-dev.txt lock every transitive dependency
# with hashes (`make lock` writes them). The image installs requirements.txt; .venv gets
# requirements-dev.txt, which holds the runtime lock too at the same versions.
# The stamp is touched only after a complete install, so a failed or interrupted one is
# retried, and a changed lock is installed again by the next `make` of any target.
STAMP := $(VENV)/.installed
PIP_VERSION := 26.3
# --no-strip-extras keeps a dependency's extras in the lock (fonttools[woff]==…): the image's
# pip (the one Python 3.11 ships, 23.2) resolves weasyprint's `fonttools[woff]>=…` to the
# newest release on the index unless the pinned line names the extra too, and then refuses
# it in --require-hashes mode (tests/integration/test_image.py caught it on a new release).
LOCK := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--no-strip-extras --custom-compile-command "make lock" $(LOCK_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	@# what the lock no longer names leaves .venv too
	$(BIN)/uv pip sync --quiet --offline --python $(BIN)/python requirements-dev.txt
	touch $@

install: $(STAMP)  ## create .venv, install the locked dependencies, compile the translations
	$(BIN)/python -m convene.i18n

# After editing requirements.in or requirements-dev.in. Versions already locked stay as
# they are unless LOCK_ARGS=--upgrade (everything) or LOCK_ARGS="--upgrade-package NAME".
lock: $(STAMP)  ## write requirements.txt and requirements-dev.txt from the .in files
	$(LOCK) requirements.in -o requirements.txt
	$(LOCK) requirements-dev.in -o requirements-dev.txt
	$(MAKE) install

migrate: install  ## create instance/ and bring the database schema up to date
	$(BIN)/python -m convene db upgrade

run: migrate  ## development server on SQLite, prints the links to start with
	$(BIN)/python -m convene run

serve: migrate  ## production server: gunicorn + gevent (default) or ASYNC_MODE=eventlet
	$(BIN)/python -m convene serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser modules (static/js, plain ES modules served as they are: nothing is built):
# ESLint (eslint.config.js), TypeScript's checks of their JSDoc (tsconfig.json strictly for the
# pure modules, tsconfig.screens.json for the screens; no output) and node's test runner on
# tests/js. The npm packages are pinned in package.json and locked in package-lock.json;
# `npm ci` runs again when node_modules is missing or either file changed. (node 20 calls its
# mock timers, used by tests/js, experimental: the warning says nothing about our code.)
NPM ?= npm
NODE ?= node
JS_STAMP := node_modules/.installed
JS_BIN := node_modules/.bin

$(JS_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

js-check: $(JS_STAMP)  ## lint, type-check and unit-test the browser modules
	$(JS_BIN)/eslint .
	$(JS_BIN)/tsc -p tsconfig.json
	$(JS_BIN)/tsc -p tsconfig.screens.json
	$(NODE) --disable-warning=ExperimentalWarning --test --test-reporter=spec tests/js/

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The tests run in parallel (pytest-xdist) in TEST_WORKERS processes; TEST_WORKERS=0 runs
# them in this one. Each worker has its own PostgreSQL database, Redis keys and ports
# (tests/support.py); --dist loadgroup keeps a browser module's tests on one worker, with
# its server (tests/conftest.py). Figures behind the default: docs/performance.md.
# pytest-timeout fails a test (with its fixtures) that runs past TEST_TIMEOUT seconds, and
# the run goes on: on 2 cores at load 15-19 the slowest took 107 s (the API fuzz test, 180 s
# then, has a limit of its own).
TEST_WORKERS ?= 3
TEST_TIMEOUT ?= 300

test: lint js-check  ## ruff, the browser modules' checks, then every test (browser and PostgreSQL tests skip with a reason when absent)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --timeout $(TEST_TIMEOUT) \
		$(PYTEST_ARGS)

# Every user-facing string is marked: _()/gettext()/N_() in Python, {{ _("...") }} in templates,
# ngettext(...) for counts, js_ngettext(singular, plural) for a page script's counted string
# (convene/i18n.py). A new language: .venv/bin/python -m convene.i18n init fr (docs/translating.md).
translations: $(STAMP)  ## extract the strings, merge them into every language, compile
	$(BIN)/python -m convene.i18n update

bench: install
	$(BIN)/python bench/tally.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis node_modules
