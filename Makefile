# The two commands of the README: `make run` and `make test`. Both work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

# `make bench`: the benchmark at 10,000 and 1,000,000 approved actions over 1,000 cities, on the
# PostgreSQL and Redis of the machine (bench/run.py; docs/performance.md reads the results).
.PHONY: run test bench load install install-dev system-deps migrate demo lint messages compilemessages clean vendor-workbox

# Debian packages the project needs: gettext compiles the translations; libmagic tells an
# evidence file's type from its content; Pango, HarfBuzz and a font let WeasyPrint write PDFs;
# Chromium runs the browser tests (Playwright drives it; it never downloads a browser here); a
# Java runtime runs the Nu Html Checker, and npm fetches it; poppler-utils' pdftoppm rasterises a
# report's PDF (its charts' test, the docs' pictures); the PostgreSQL server binaries (initdb,
# pg_basebackup) start the throwaway primary and replica of `make replica-check`.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	ldconfig -p | grep -q 'libmagic\.so\.1' || missing="$$missing libmagic1"; \
	ldconfig -p | grep -q 'libpangoft2-1\.0\.so\.0' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || missing="$$missing libharfbuzz-subset0"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The Nu Html Checker (the W3C's validator) that config/tests/test_valid_html.py runs: the jar of
# npm's vnu-jar, kept in the virtualenv.
VNU_VERSION := 26.9.27
$(VENV)/vnu/vnu-$(VNU_VERSION).jar: | $(BIN)/python
	rm -rf $(VENV)/vnu && mkdir -p $(VENV)/vnu
	cd $(VENV)/vnu && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
		tar xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar && \
		mv package/build/dist/vnu.jar vnu-$(VNU_VERSION).jar && rm -rf package vnu-jar-$(VNU_VERSION).tgz
	ln -sf vnu-$(VNU_VERSION).jar $(VENV)/vnu/vnu.jar

install: system-deps $(VENV)/.installed

install-dev: system-deps $(VENV)/.installed-dev $(VENV)/vnu/vnu-$(VNU_VERSION).jar

compilemessages: install
	DEBUG=1 $(MANAGE) compilemessages --ignore=$(VENV) -v0

messages: install
	DEBUG=1 $(MANAGE) makemessages -l es -l en -l pt_BR --ignore=$(VENV) --ignore=var --ignore=static/vendor --no-obsolete

# `make run`: embedded defaults (SQLite, a file-system Celery broker, console email), demo data,
# then web, worker and beat together; Ctrl-C stops all three.
run: export DEBUG ?= 1
run: install compilemessages
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_gazetteer
	$(MANAGE) load_demo
	@echo ""
	@echo "  OMCS is running at http://127.0.0.1:$(PORT)/   (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "  Demo logins, all with the password demo-omcs-2026:"
	@echo "    admin, coord.norte, coord.sur, emb.cdmx, emb.monterrey, emb.bogota,"
	@echo "    emb.medellin, emb.lima, emb.valparaiso, emb.rosario, emb.sanjose"
	@echo "  Ctrl-C stops the web server, the Celery worker and beat."
	@echo ""
	@trap 'trap - INT TERM EXIT; kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/celery -A config worker --loglevel=INFO --pool=solo -Q celery,reports & \
	$(BIN)/celery -A config beat --loglevel=INFO & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# `make test`: ruff, the import layers (import-linter), migrations in step with models, and the
# whole suite. Uses DATABASE_URL and REDIS_URL when set (CI sets both), SQLite and the
# file-system broker otherwise.
test: install-dev compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=deploy-check-only-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=omcs.example.org \
		$(MANAGE) check --deploy --fail-level WARNING
	$(BIN)/pytest
	$(MAKE) replica-check

# `make replica-check`: the read replica's router against a real PostgreSQL streaming replica:
# a throwaway primary and replica on loopback (ops/clusters.py), the tests marked `replica`
# (config/tests/test_replica.py), both servers stopped and removed at the end. About a minute.
.PHONY: replica-check
replica-check: install-dev compilemessages
	$(BIN)/python -m ops.replica_check

# `make load`: a bounded load test (gunicorn, PostgreSQL, Redis DB 4/5, Locust in .venv-load);
# USERS, SPAWN_RATE, DURATION and WORKERS override its defaults. See loadtest/README.md.
load: install compilemessages
	loadtest/run.sh

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

clean:
	rm -rf $(VENV) var/db.sqlite3* var/celery-broker var/staticfiles

bench: install compilemessages
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# `make prod-check`: the production settings on loopback, two gunicorns as two hosts, two workers
# and beat, a day's work through both while one web host and the mail worker are killed; every
# action, decision email and report counted exactly once (ops/prod_check.py). PostgreSQL and Redis
# (DB 12/13) on 127.0.0.1, as in CI.
.PHONY: prod-check
prod-check: install compilemessages
	$(BIN)/python -m ops.prod_check $(PROD_CHECK_ARGS)

# `make restore-check`: the backup drill: the demo's database (pg_dump -Fc) and MEDIA_ROOT (tar)
# restored into a fresh database and folder, rows and files compared, the demo crawled on the copy
# as its ambassador, coordinator and admin (ops/restore_check.py). PostgreSQL on 127.0.0.1.
.PHONY: restore-check
restore-check: install compilemessages
	$(BIN)/python -m ops.restore_check $(RESTORE_CHECK_ARGS)

# Workbox for the service worker (offline/): the browser builds of its npm packages, vendored in
# static/vendor/workbox (committed; this target fetches them again, e.g. for a new version).
WORKBOX_VERSION := 7.4.1
WORKBOX_PACKAGES := workbox-sw workbox-core workbox-routing workbox-strategies workbox-cacheable-response
vendor-workbox:
	rm -rf var/workbox && mkdir -p var/workbox static/vendor/workbox
	cd var/workbox && for package in $(WORKBOX_PACKAGES); do \
		npm pack --silent $$package@$(WORKBOX_VERSION) >/dev/null && mkdir -p $$package && \
		tar xzf $$package-$(WORKBOX_VERSION).tgz -C $$package; \
	done
	cp var/workbox/workbox-sw/package/build/workbox-sw.js static/vendor/workbox/
	for package in $(filter-out workbox-sw,$(WORKBOX_PACKAGES)); do \
		cp var/workbox/$$package/package/build/$$package.prod.js static/vendor/workbox/; \
	done
	cp var/workbox/workbox-core/package/LICENSE static/vendor/workbox/LICENSE
	sed -i '/^\/\/# sourceMappingURL=/d' static/vendor/workbox/*.js
	rm -rf var/workbox
