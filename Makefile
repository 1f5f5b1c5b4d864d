# The two commands of README.md. Each makes its own virtual environment and installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB ?= data/feedback.duckdb
PORT ?= 8501

.PHONY: run test test-all test-lake demo browser office lake bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(DB): | $(STAMP)
	$(PY) -m loaders demo --db $(DB)

demo: $(STAMP)
	$(PY) -m loaders demo --db $(DB)

run: $(STAMP) $(DB)
	FEEDBACK_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.headless true --server.port $(PORT)

# Browser tests use Debian's Chromium and CJK fonts, never a downloaded browser.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk; \
		else sudo apt-get update -q && sudo apt-get install -y -q chromium fonts-noto-cjk; fi; \
	fi

# The slides test renders the PowerPoint deck as an office suite would: Debian's LibreOffice and poppler.
office:
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q libreoffice-impress poppler-utils; \
		else sudo apt-get update -q && sudo apt-get install -y -q libreoffice-impress poppler-utils; fi; \
	fi

# The lake tests start throw-away clusters of Debian's PostgreSQL (bench/postgres.py) and put the
# README's nginx site in front of two replicas (tests/test_proxy.py).
lake:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -x /usr/sbin/nginx ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q postgresql nginx-light; \
		else sudo apt-get update -q && sudo apt-get install -y -q postgresql nginx-light; fi; \
	fi

# Two tiers of one suite. On a developer's machine `make test` runs the quick tier: every test on
# the DuckDB file that starts no browser, no server or command-line process and takes no seconds of
# a core (the marks `e2e`, `slow` and `ci` leave the rest to CI). With CI true, as .ci/run sets it,
# it runs everything: every test that takes a store (the con, con_url or store_url fixture) on a
# DuckDB file and on a DuckLake whose catalog is in PostgreSQL (each worker starts its own cluster),
# the browser tests, the slow ones, and those marked `ci` (the benchmark's --quick run, the browser's
# draw counts). `make test-all` is the CI run on this machine.
CI_RUN := $(filter true 1 yes,$(CI))
TEST_SCOPE := $(if $(CI_RUN),,--store file -m "not ci and not slow and not e2e")
# A worker takes one test file at a time, in the order collected (the browser tests first; xdist
# would otherwise sort files by their number of tests, putting the long browser files last): a
# module's servers and store builds are made once, and the short files at the end keep both workers
# busy to the end. xdist's default (--dist load) hands each worker a quarter of the collection up
# front, and every browser test fell in the first worker's quarter.
TEST_WORKERS := -n 2 --dist loadfile --no-loadscope-reorder

test: $(STAMP) $(if $(CI_RUN),browser office lake)
	$(PY) -m pytest $(TEST_WORKERS) $(TEST_SCOPE)

test-all:
	$(MAKE) test CI=true

# The store's tests on the lake alone, browser tests aside.
test-lake: $(STAMP) lake
	$(PY) -m pytest $(TEST_WORKERS) --store lake -m "not e2e"

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) artifacts .pytest_cache
