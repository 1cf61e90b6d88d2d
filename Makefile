# Two entry points for a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := tests/fixtures/cnn-erdogan-putin.txt
# torch for the hf extra, installed before everything else at this exact version. pip takes it
# from its configured indexes; on Linux plain PyPI serves the CUDA build (several GB). For the
# CPU-only build point TORCH_INDEX at PyTorch's CPU index:
#   make test TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH       ?= 2.13.0
TORCH_INDEX ?=
TORCH_PIP   := $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
LINTED      := src tests bench scripts

.PHONY: run test lint wheel-test bench-split fit serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Summarize the bundled sample article (a CNN page as scraped from the web).
run: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/newsbrief summarize $(SAMPLE)

# Install test needs and run the whole suite, with lint and type checks first, then the wheel
# smoke test (what a user installing the built wheel gets). pytest runs on every core
# (pytest-xdist), one test file per worker at a time, the slowest files first (tests/conftest.py);
# bench/results/test_time.md has the figures. One process: make test PYTEST_WORKERS=0
PYTEST_WORKERS ?= auto
test: $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==$(TORCH)" $(TORCH_PIP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile
	$(MAKE) wheel-test

lint: $(BIN)/python
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

# Build the sdist and wheel, install the wheel into fresh venvs (no extras, lowest versions,
# one per extra) and run each one's smoke commands: scripts/wheel_smoke.sh says what.
# Only some steps: make wheel-test WHEEL_STEPS="base service"
WHEEL_STEPS ?=
wheel-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet "build>=1.0"
	TORCH=$(TORCH) TORCH_INDEX=$(TORCH_INDEX) PYTHON=$(PYTHON) BUILD_PYTHON=$(abspath $(BIN)/python) \
		bash scripts/wheel_smoke.sh $(WHEEL_STEPS)

# Sentence-splitter accuracy and speed table -> bench/results/sentence_split.md
bench-split: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/sentence_split.py

# Refit the weights shipped as data (page-line model, highlights scorer, learned checker) from
# the dev sets in ../shared/data; held-out figures come from the bench/*_cv.py and pages scripts.
fit: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[eval]"
	$(BIN)/python bench/fit_lines.py
	$(BIN)/python bench/fit_highlights.py
	$(BIN)/python bench/fit_checker.py

# The REST service and web page on http://127.0.0.1:8000
serve: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[service]"
	$(BIN)/newsbrief serve

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
