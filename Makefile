# Every target sets itself up on first use: a .venv with the pinned Python packages and node_modules
# from package-lock.json. A fresh clone needs only `make serve` or `make test`.

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve build lens-site test test-slow test-zensical test-fast fuzz bench new clean deps browser

help:
	@echo "make serve   preview the site at http://127.0.0.1:8000, rebuilding on every change"
	@echo "make build   strict build into site/ (KB=path/to/kb.yml: the site of that knowledge base;"
	@echo "             ENGINE=zensical: the same site built by Zensical instead of MkDocs + Material)"
	@echo "make lens-site LENS=lens.json OUT=dir"
	@echo "             a site from an AWS custom lens: OUT/knowledge-base.yml and OUT/site/"
	@echo "make test    every test: unit, build and browser (installs Chromium through apt when missing)"
	@echo "make test-slow  the bench smoke (quick bench, every figure printed); CI runs it after make test"
	@echo "make test-zensical  the browser, link and CSP tests on the site as Zensical builds it (CI runs it)"
	@echo "make bench   performance figures, measured side by side in one run"
	@echo "make fuzz    the property-based tests of every input surface, with many more examples"
	@echo "make new KIND=practice|question|quiz-question|reference PILLAR=<pillar id>"
	@echo "             print a YAML skeleton for the next KB entry, with where to paste it"
	@echo "make clean   remove site/, .venv and node_modules"

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
		{ echo "Python 3.12 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# The site builder is not distributed: put the repository on the environment's path for it.
	$(BIN)/python -c 'import site, pathlib; pathlib.Path(site.getsitepackages()[0], "repo-root.pth").write_text("$(CURDIR)\n")'
	@touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(BIN)/.installed node_modules/.package-lock.json

serve: deps
	$(BIN)/python -m sitebuilder.serve --strict --dev-addr 127.0.0.1:8000

build: deps
ifdef KB
	$(BIN)/python -m sitebuilder.kbsite build --kb '$(KB)' --site-dir site
else ifeq ($(ENGINE),zensical)
	$(BIN)/python -m sitebuilder.zensical build --site-dir site
else
	$(BIN)/mkdocs build --strict --site-dir site
endif

# Any AWS Well-Architected custom lens as a guide-and-checklist site, offline and private like this one.
lens-site: deps
	@$(if $(and $(LENS),$(OUT)),,echo "usage: make lens-site LENS=path/to/lens.json OUT=path/to/dir" >&2; exit 2)
	$(BIN)/python -m sitebuilder.kbsite lens '$(LENS)' --out '$(OUT)'

browser:
	@bash .ci/ensure-chromium

# Every core runs tests (pytest-xdist; an idle worker takes tests queued for a busy one). The workers share
# one build of the site and of the lens site (tests/conftest.py). The bench smoke (marked slow) is
# `make test-slow`; CI runs both.
TEST_WORKERS ?= auto
test: deps browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not slow"

test-slow: deps browser
	$(BIN)/pytest -m slow

# The browser, link and CSP tests again, on the site as Zensical builds it (tests/conftest.py's ENGINE);
# make test compares the two builds page by page (tests/test_zensical.py). CI runs it as a step of its own.
test-zensical: deps browser
	KB_TESTS_ENGINE=zensical $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "browser and not slow"
	KB_TESTS_ENGINE=zensical $(BIN)/pytest -m "not browser and not slow" tests/test_links.py tests/test_csp.py

test-fast: deps
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not browser and not slow"

# `make test` runs tests/test_properties.py with a fixed seed and a few dozen examples per surface.
fuzz: deps browser
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_properties.py tests/test_hostile_input.py \
		tests/test_browser_fuzz.py

bench: deps
	$(BIN)/python tests/bench.py

# A skeleton for the next KB entry: `make new KIND=practice PILLAR=reliability` (PILLAR is optional for a
# reference). It prints YAML with fresh ids and a comment saying where in the KB to paste it.
new: deps
	@$(if $(KIND),,echo "usage: make new KIND=practice|question|quiz-question|reference PILLAR=<pillar id>" >&2; exit 2)
	@$(BIN)/python -m sitebuilder.skeleton '$(KIND)' $(if $(PILLAR),--pillar '$(PILLAR)')

clean:
	rm -rf site $(VENV) node_modules
