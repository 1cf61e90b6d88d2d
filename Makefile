# Two entry points for a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := tests/fixtures/cnn-erdogan-putin.txt
TORCH  ?= 2.13.0

.PHONY: run test lint bench-split serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Summarize the bundled sample article (a CNN page as scraped from the web).
run: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/newsbrief summarize $(SAMPLE)

# Install test needs and run the whole suite, with lint and type checks first.
test: $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==$(TORCH)"  # CPU wheel; a plain range would pull a CUDA build
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(BIN)/python
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Sentence-splitter accuracy and speed table -> bench/results/sentence_split.md
bench-split: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/sentence_split.py

# The REST service and web page on http://127.0.0.1:8000
serve: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[service]"
	$(BIN)/newsbrief serve

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
