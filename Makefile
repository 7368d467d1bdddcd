# zhenkg — set-up, run, test. Every target creates .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= var/zhenkg.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
SAMPLE := data/samples/zezhou-2023-17.txt

.PHONY: run test lint typecheck unit bench notebook clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	ZHENKG_DB=$(DB) $(BIN)/zhenkg demo --sample $(SAMPLE) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check graph ingest queries api tests bench
	$(BIN)/ruff format --check graph ingest queries api tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit

# Opens the planner's notebook in JupyterLab when it is installed; else prints how to get it.
notebook: $(STAMP)
	@if $(BIN)/python -c "import jupyterlab" 2>/dev/null; then \
		$(BIN)/jupyter lab notebooks/explore.ipynb; \
	else \
		echo "JupyterLab is not installed: $(BIN)/pip install jupyterlab && $(BIN)/jupyter lab notebooks/explore.ipynb"; \
	fi

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
