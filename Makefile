# `make run` and `make test` work on a fresh machine with only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench mutate clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/taskforce $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	cd bench && QT_QPA_PLATFORM=offscreen ../$(PY) run_all.py

# Mutation testing of the rules (issue 10 §4, docs/mutation.md), run by hand: neither `make test`
# nor .ci/run runs it. Mutates taskforce/domain; MUTATE_SERVICES=1 also the rule queries of
# services/ (attention, feedback, roster); JOBS=n workers (default 2). Starts afresh each time,
# so the score is the tree's.
MUTATE_SERVICES ?=
MUTANTS := 'taskforce.domain.*' $(if $(MUTATE_SERVICES),'taskforce.services.attention.*' \
	'taskforce.services.feedback.*' 'taskforce.services.roster.*')

mutate: $(STAMP)
	rm -rf mutants
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/mutmut run --max-children $(or $(JOBS),2) $(MUTANTS)
	$(PY) tests/mutation_score.py $(MUTANTS)

clean:
	rm -rf $(VENV) build *.egg-info mutants
