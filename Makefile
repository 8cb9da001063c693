# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
FLASK := $(BIN)/flask --app wsgi
PBADMIN_HOST ?= 127.0.0.1
PBADMIN_PORT ?= 5000
export PBADMIN_HOST PBADMIN_PORT
DEMO_PLUGINS := luqiao xindu jingzhou linqing ningbo
SANDBOX_URL := http://$(PBADMIN_HOST):$(PBADMIN_PORT)/sandbox
CATALOGUES := $(wildcard pbadmin/translations/*/LC_MESSAGES/*.po)

.PHONY: install run test test-sqlite test-postgresql translations i18n-extract lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) translations

translations: $(CATALOGUES:.po=.mo)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ 2>/dev/null

run: install
	$(FLASK) db upgrade
	@if $(FLASK) pbadmin is-empty; then \
		$(FLASK) pbadmin plugins enable $(DEMO_PLUGINS) && \
		$(FLASK) pbadmin sync use-sandbox --url $(SANDBOX_URL) && \
		$(FLASK) pbadmin seed-demo; \
	else $(FLASK) pbadmin sync use-sandbox --url $(SANDBOX_URL); fi
	@echo ""
	@echo "pbadmin is starting at http://$(PBADMIN_HOST):$(PBADMIN_PORT)/"
	@$(FLASK) pbadmin ensure-admin
	@echo "reports to the provinces: http://$(PBADMIN_HOST):$(PBADMIN_PORT)/admin/sync/ (sandbox gateway at $(SANDBOX_URL))"
	@echo ""
	PBADMIN_SANDBOX=on $(BIN)/gunicorn -c python:pbadmin.gunicorn_conf --workers 1 --threads 8 \
		--bind $(PBADMIN_HOST):$(PBADMIN_PORT) --access-logfile - wsgi:app

# one pytest worker per core (pytest-xdist; each has a database of its own), idle workers take tests
# from busy ones; the 15 slowest tests are printed at the end of each run, so a new slow one shows
PYTEST := $(BIN)/pytest -n auto --dist worksteal --durations=15

test: install
	$(PYTEST)
	@if [ -n "$$PBADMIN_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$PBADMIN_TEST_DATABASE_URL, a database of its own) =="; \
		PBADMIN_TEST_BACKEND=postgresql $(PYTEST); \
	else echo "PBADMIN_TEST_DATABASE_URL is not set: PostgreSQL run skipped"; fi

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".venv migrations tests" -o pbadmin/translations/messages.pot .
	$(BIN)/pybabel update -i pbadmin/translations/messages.pot -d pbadmin/translations --no-fuzzy-matching

bench: $(STAMP)
	$(BIN)/python -m bench.import_roster

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name '*.mo' -delete
