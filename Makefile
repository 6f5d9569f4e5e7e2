# Developer entry points. `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench standalone clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q src >/dev/null
	touch $(STAMP)

# Runs the bundled example stack in the foreground (Ctrl-C stops it cleanly, status 0).
demo: $(STAMP)
	MITTNITE="$(abspath $(BIN))/mittnite" PYTHON="$(abspath $(BIN))/python" \
		exec sh examples/quickstart/run-demo.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests bench build_backend
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# The static single-file executable for images without Python (dist/mittnite,
# dist/mittnitectl, dist/mittnite.tar.gz); see packaging/build_standalone.py.
standalone: $(STAMP)
	sh packaging/build-standalone.sh $(abspath $(BIN))/python

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
