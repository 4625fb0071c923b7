# Zwei Befehle genügen: `make html` baut den Bericht, `make test` prüft alles.
# Beim ersten Aufruf wird eine virtuelle Umgebung (.venv) angelegt und das Paket installiert.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
SPHINXOPTS ?=
BUILDDIR   := _build

.PHONY: html pdf pdf-barrierefrei test diff live check status bench bench-pdf clean help

help:
	@echo "make html   – Bericht als HTML nach $(BUILDDIR)/html bauen"
	@echo "              streng: make html SPHINXOPTS=\"-W --keep-going\""
	@echo "make pdf    – Druckfassung als PDF nach $(BUILDDIR)/latex/ (installiert TeX Live bei Bedarf)"
	@echo "make pdf-barrierefrei – barrierefreies PDF (PDF/UA-1, getaggt) nach $(BUILDDIR)/pdf-barrierefrei/"
	@echo "make test   – alle Tests ausführen"
	@echo "make diff OLD=<rev> [NEW=<rev>] – zwei Stände vergleichen (Markdown + HTML in $(BUILDDIR)/diff)"
	@echo "make live   – Vorschau im Browser (http://127.0.0.1:8000, anderer Port: PORT=8001), aktualisiert sich beim Speichern"
	@echo "make check  – Lesephase des Baus ohne Schreiben: alle Meldungen des Baus, schnell"
	@echo "make status – Stand je Kapitel und offene Aspekte"
	@echo "make bench  – Benchmark (schreibt BENCHMARKS.md)"
	@echo "make bench-pdf – nur kalter PDF-Bau gegen kalten HTML-Bau (eigener Abschnitt in BENCHMARKS.md)"
	@echo "make clean  – $(BUILDDIR) löschen"

$(STAMP): pyproject.toml
	@echo "Einrichtung, etwa eine Minute: virtuelle Umgebung $(VENV) und Paket bnk-bericht …"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

html: $(STAMP)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) . $(BUILDDIR)/html

# Quiet: one line per step, the LaTeX log in $(BUILDDIR)/latex/, at the end the path of the PDF.
pdf: $(STAMP)
	@tools/ensure-deps pdf
	@$(BIN)/python -m bnk.latex.pdf . $(BUILDDIR) -- $(SPHINXOPTS)

pdf-barrierefrei: $(STAMP)
	tools/ensure-deps pdfua
	$(BIN)/sphinx-build -b bnk-pdfua $(SPHINXOPTS) . $(BUILDDIR)/pdf-barrierefrei
	@ls -1 $(BUILDDIR)/pdf-barrierefrei/*.pdf

test: $(STAMP)
	tools/ensure-deps all --optional
	@echo "Strenger Bau des Berichts (jede Warnung ist ein Fehler) …"
	$(BIN)/sphinx-build -b html -W --keep-going -q . $(BUILDDIR)/html
	$(BIN)/python -m pytest

diff: $(STAMP)
	@test -n "$(OLD)" || { echo "Aufruf: make diff OLD=<Revision> [NEW=<Revision>]"; exit 2; }
	$(BIN)/bnk diff $(OLD) $(NEW) --markdown $(BUILDDIR)/diff/bnk-diff.md --html $(BUILDDIR)/diff/bnk-diff.html $(DIFFOPTS)
	@cat $(BUILDDIR)/diff/bnk-diff.md

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Only cold HTML against cold make pdf (a few minutes instead of the whole benchmark).
bench-pdf: $(STAMP)
	$(BIN)/python bench/run.py --pdf

# bnk live stops the server with all its children when it ends (Ctrl+C, or make killed by its PID)
# and says in German which port to use when 8000 is busy: make live PORT=8001.
live: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[live]"
	exec $(BIN)/bnk live $(if $(PORT),--port $(PORT))

check: $(STAMP)
	$(BIN)/bnk check

status: $(STAMP)
	$(BIN)/bnk status

clean:
	rm -rf $(BUILDDIR)
