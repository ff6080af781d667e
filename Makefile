# Two entry points for a fresh machine: `make run` (chat on the bundled articles) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install index lint screenshot clean

run: $(STAMP)  ## install, index the bundled articles if needed, start the chat
	$(BIN)/newsbot serve

test: $(STAMP)  ## install and run the whole test suite (CI runs this)
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

clean:
	rm -rf $(VENV) .newsbot .pytest_cache
