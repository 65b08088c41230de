# Quick start on a fresh Debian 12 machine:  make run   |   make test
# Debian's Python, as on a fresh Debian 12 machine, whatever else is first on the PATH:
# the frozen kiosk is built from it (kiosk.spec), so CI builds what a clinic would.
PYTHON ?= /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup system venv translations lupdate run test test-fast stress lint format bench screenshots lock clean bundle wheel release deploy-test deploy-test-tools fresh-test

# English is the source language: its .ts holds only the numerus forms ("1 second").
SOURCE_TS := resources/translations/kiosk_en.ts
TS := $(sort $(wildcard resources/translations/*.ts) $(SOURCE_TS))
QM := $(TS:.ts=.qm)

setup: system venv translations

# The Debian packages: what the frozen kiosk loads, and what building and testing need.
system:
	@scripts/setup-system.sh deploy/packages-bundle.txt scripts/system-packages.txt

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# Interface translations: .ts files (edited, committed) compiled to .qm (built).
translations: $(QM)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# Refresh the .ts files from the source after changing interface strings; then give
# the new numerus messages their forms, English ones too (Qt Linguist).
UI_SOURCES = $(shell find kiosk/ui -name "*.py" | sort)
lupdate: venv
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations none $(UI_SOURCES) $(foreach t,$(filter-out $(SOURCE_TS),$(TS)),-ts $(t))
	$(VENV)/bin/pyside6-lupdate -pluralonly -no-obsolete -locations none $(UI_SOURCES) -ts $(SOURCE_TS)

# dist/kiosk/: the frozen kiosk (PyInstaller onedir, see kiosk.spec); rebuilt only when
# a source, the content or a resource changed. `dist/kiosk/kiosk smoke-test` checks it.
BUNDLE_SOURCES := kiosk.spec pyproject.toml scripts/kiosk_entry.py \
	$(shell find kiosk content resources -type f ! -name '*.pyc' ! -name '*.qm' 2>/dev/null)

bundle: dist/kiosk/kiosk

dist/kiosk/kiosk: $(STAMP) $(QM) $(BUNDLE_SOURCES)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN kiosk.spec
	@touch $@

VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)

# The kiosk command for the staff's editing computers (docs/ADMIN.md, section 2): a
# wheel that pip or pipx installs, with the resources and the bundled content that the
# preview and search read inside the package (kiosk/_data, see kiosk.resources.base_dir).
WHEEL := dist/clinic_kiosk-$(VERSION)-py3-none-any.whl

wheel: $(WHEEL)

$(WHEEL): $(STAMP) $(QM) $(BUNDLE_SOURCES)
	rm -rf build/wheel && mkdir -p build/wheel
	cp -a pyproject.toml README.md kiosk build/wheel/
	mkdir -p build/wheel/kiosk/_data
	cp -a resources content build/wheel/kiosk/_data/
	find build/wheel -name __pycache__ -prune -exec rm -rf {} +
	$(PY) -m pip wheel --quiet --disable-pip-version-check --no-deps -w dist build/wheel

# The release an IT person copies to a kiosk (docs/DEPLOY.md): the bundle, deploy/, and
# the guides for IT and staff with their pictures, in one tarball with one top folder,
# and its SHA-256 sum (a copy that arrived whole; the packs it installs are signed).
# editing-computer/ holds the wheel staff install the kiosk command from, and the content
# folder they start from (docs/ADMIN.md).
RELEASE_NAME := clinic-kiosk-$(VERSION)
RELEASE := dist/$(RELEASE_NAME).tar.gz
RELEASE_DOCS := docs/DEPLOY.md docs/ADMIN.md docs/CONTENT.md \
	$(wildcard docs/admin/*.png docs/deploy/*.png)

release: $(RELEASE)

$(RELEASE): dist/kiosk/kiosk $(WHEEL) $(wildcard deploy/*) $(RELEASE_DOCS)
	rm -rf build/release && mkdir -p build/release/$(RELEASE_NAME)/dist
	cp -a dist/kiosk build/release/$(RELEASE_NAME)/dist/
	cp -a deploy build/release/$(RELEASE_NAME)/
	cp --parents $(RELEASE_DOCS) build/release/$(RELEASE_NAME)/
	mkdir -p build/release/$(RELEASE_NAME)/editing-computer
	cp -a $(WHEEL) build/release/$(RELEASE_NAME)/editing-computer/
	cp -a content build/release/$(RELEASE_NAME)/editing-computer/content
	tar -C build/release --owner=0 --group=0 --mode=go-w --sort=name -czf $@.tmp $(RELEASE_NAME)
	mv $@.tmp $@
	cd dist && sha256sum $(RELEASE_NAME).tar.gz > $(RELEASE_NAME).tar.gz.sha256

# The deployment, proven: a Debian 12 VM from Debian's packages, the release installed
# as docs/DEPLOY.md says, and its checks (tests/vm/deploytest.py; about 22 to 27 minutes under
# software emulation). Reuses the VM image between local runs; FRESH_IMAGE=1 (CI)
# builds it afresh. Evidence in build/deploy-test/.
deploy-test: setup deploy-test-tools release
	$(PY) tests/vm/deploytest.py --release $(RELEASE) $(if $(FRESH_IMAGE),--fresh-image)

deploy-test-tools:
	@scripts/setup-system.sh scripts/deploy-test-packages.txt

# make test's setup and a quick part of the suite in a fresh Debian 12 root
# (mmdebstrap), so that a package missing from the lists fails here too.
fresh-test: deploy-test-tools
	tests/fresh/fresh-test.sh

run: setup
	$(VENV)/bin/kiosk run --windowed

test: setup lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

test-fast: venv translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow and not e2e"

# Kill an install at 2000 random moments; current must always be a complete pack.
stress: venv
	KIOSK_STRESS_TRIALS=2000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/test_install_reliability.py -k kill

lint: venv
	$(VENV)/bin/ruff check kiosk tests bench
	$(VENV)/bin/ruff format --check kiosk tests bench
	$(VENV)/bin/mypy kiosk tests bench scripts
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_sizes.py

format: venv
	$(VENV)/bin/ruff format kiosk tests bench
	$(VENV)/bin/ruff check --fix kiosk tests bench

# Every benchmark (search, start, memory, tap, pack scaling, soak) into BENCHMARKS.md;
# about 10 minutes. Exit 1 if a target is missed.
bench: setup
	$(PY) bench/run_all.py

screenshots: venv translations  # about 25 minutes: 11 screens, 4 sizes, 8 looks each
	$(PY) scripts/screenshots.py docs/screenshots
	QT_SCALE_FACTOR=2 $(PY) scripts/screenshots.py docs/screenshots home reader search-results --sizes 1920x1080

lock: venv
	{ grep '^#' requirements.lock; $(PY) -m pip freeze --exclude-editable | sort -f; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache $(QM)
