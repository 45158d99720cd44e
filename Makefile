# Front Door: `make run` to open the console, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint types contracts clean demo

RUN_STAMP := $(VENV)/.installed-run

# The console needs only what it runs on; the tests add their tools. Each step says what
# it is doing, so a first `make run` on a new machine is not minutes of a silent prompt.
$(RUN_STAMP): pyproject.toml
	@echo "== Setting up Front Door in $(VENV) (first time only; a minute or two)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "== Installing Front Door and what it runs on"
	$(BIN)/python -m pip install --progress-bar on -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	@echo "== Installing the test tools"
	$(BIN)/python -m pip install --progress-bar on -e '.[dev]'
	touch $(STAMP)

run: $(RUN_STAMP)
	@echo "== Opening the console (the sign-in screen shows the demo users and their password; Ctrl+Q quits)"
	$(BIN)/frontdoor console

# One test process per core (pytest-xdist); `pytest` alone still runs them in one. A
# process that runs out of tests takes half of another's (worksteal): handed out in
# batches (the default), one process was still working 20 s after the other had finished.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check src tests

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

check: lint types contracts test

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info

# A separate demo database with a month of simulated contacts; the console opens on the
# management information once demo-supervisor signs in (the password is on the screen).
# 3,000 contacts a month keeps the build to a minute or two; `frontdoor simulate` takes
# --calls-per-month 12000 for North East Lincolnshire's volume. The simulation runs
# before the demo users exist: from the first user on, it would need an admin.
DEMO_DB := sqlite:///$(CURDIR)/.demo/frontdoor-demo.db

demo: $(RUN_STAMP)
	rm -rf .demo && mkdir -p -m 700 .demo  # the demo database holds (made-up) personal data: owner-only
	$(BIN)/frontdoor db upgrade --db $(DEMO_DB)
	$(BIN)/frontdoor simulate --db $(DEMO_DB) --days 30 --calls-per-month 3000 --seed 1
	$(BIN)/frontdoor db upgrade --db $(DEMO_DB) --demo-users
	$(BIN)/frontdoor console --db $(DEMO_DB) --user demo-supervisor --open mi
