# parcli — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := demo-output

.PHONY: demo test lint typecheck pytest bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Runtime install (editable, so the demo always runs the current source).
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

# Test tools on top of the runtime.
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-run
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed-run
	$(BIN)/python examples/demo.py --out $(OUT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests examples scripts benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# Long fuzz run of the readers (mutated returns); FUZZ=<count> mutants, FUZZ_SEED=<seed>.
FUZZ ?= 2000
FUZZ_SEED ?= 12
fuzz: $(VENV)/.installed-test
	PARCLI_FUZZ=$(FUZZ) PARCLI_FUZZ_SEED=$(FUZZ_SEED) $(BIN)/python -m pytest -q -s tests/test_fuzz.py tests/test_fuzz_*.py

# Benchmark against the floors (python-calamine, xlsxwriter): the targets at N=300; N=1000 for scale.
N ?= 300
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench.py --units $(N)

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache .pytest_cache
