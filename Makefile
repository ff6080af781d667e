# Two entry points for a fresh machine: `make run` (chat on the bundled articles) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install index lint clean

run: $(STAMP)  ## install, index the bundled articles if needed, start the chat
	$(BIN)/newsbot serve

test: $(STAMP) $(CHROMIUM)  ## install and run the whole test suite (CI runs this)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

install: $(STAMP)

index: $(STAMP)
	$(BIN)/newsbot index

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# torch first, pinned to the CPU build, so sentence-transformers does not pull CUDA wheels.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

clean:
	rm -rf $(VENV) .newsbot .pytest_cache test-artifacts
