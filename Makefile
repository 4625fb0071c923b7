# Zwei Befehle genügen: `make html` baut den Bericht, `make test` prüft alles.
# Beim ersten Aufruf wird eine virtuelle Umgebung (.venv) angelegt und das Paket installiert.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
SPHINXOPTS ?=
BUILDDIR   := _build

.PHONY: html test clean help

help:
	@echo "make html   – Bericht als HTML nach $(BUILDDIR)/html bauen"
	@echo "              streng: make html SPHINXOPTS=\"-W --keep-going\""
	@echo "make test   – alle Tests ausführen"
	@echo "make clean  – $(BUILDDIR) löschen"

$(STAMP): pyproject.toml
	@echo "Richte $(VENV) ein und installiere das Paket bnk-bericht …"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

html: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) . $(BUILDDIR)/html

test: $(STAMP)
	@echo "Strenger Bau des Berichts (jede Warnung ist ein Fehler) …"
	$(BIN)/sphinx-build -b html -W --keep-going -q . $(BUILDDIR)/html
	$(BIN)/python -m pytest

clean:
	rm -rf $(BUILDDIR)
