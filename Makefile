# Zwei Befehle genügen: `make html` baut den Bericht, `make test` prüft alles.
# Jedes Ziel ruft einen bnk-Befehl auf – derselbe Weg wie ohne make (python -m bnk …, siehe README).
# Beim ersten Aufruf wird eine virtuelle Umgebung (.venv) angelegt: für Autorinnen und Autoren nur
# die Pakete des Baus; die Testwerkzeuge erst mit `make test`. Alle Versionen aus constraints.txt.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
BNK         := $(BIN)/python -m bnk
STAMP       := $(VENV)/.installed
TESTSTAMP   := $(VENV)/.installed-test
CONSTRAINTS := constraints.txt
PIP         := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)
BUILDDIR    := _build
# Optionen der Bau-Befehle: make html STRENG=1 (jede Warnung ist ein Fehler), ENTWURF=1 (offene
# Aspekte als Platzhalter), OPTS="-D bnk_charts=0" (eine Einstellung überschreiben).
BNKOPTS      = $(if $(STRENG),--streng) $(if $(ENTWURF),--entwurf) $(OPTS)
# Die schnelle Testschicht: alles ohne TeX, ohne Browser und ohne die langsamen Bauten.
FAST        := not tex and not browser and not langsam
# Die Tests laufen auf allen Kernen (pytest-xdist); ein Testmodul bleibt auf einem Prozess, damit
# seine gemeinsamen Bauten nur einmal entstehen. Einzeln: make test PARALLEL=
PARALLEL    ?= -n auto --dist loadfile --no-loadscope-reorder

.PHONY: html pdf pdf-druckerei pdf-barrierefrei test test-schnell diff live check status bench bench-pdf bench-tests clean help

help:
	@echo "make html   – Bericht als HTML nach $(BUILDDIR)/html bauen (streng: make html STRENG=1)"
	@echo "make pdf    – Druckfassung als PDF nach $(BUILDDIR)/latex/ (installiert TeX Live bei Bedarf)"
	@echo "make pdf-druckerei – Datei für die Druckerei (3 mm Anschnitt, PDF/X-3, CMYK) nach $(BUILDDIR)/druckerei/"
	@echo "make pdf-barrierefrei – barrierefreies PDF (PDF/UA-1, getaggt) nach $(BUILDDIR)/pdf-barrierefrei/"
	@echo "make test   – alle Tests ausführen (mit TeX und Chromium, auf allen Kernen; Dauer: BENCHMARKS.md)"
	@echo "make test-schnell – nur die Tests ohne TeX und Browser (unter einer Minute)"
	@echo "make diff OLD=<rev> [NEW=<rev>] – zwei Stände vergleichen (Markdown + HTML in $(BUILDDIR)/diff)"
	@echo "make live   – Vorschau im Browser (http://127.0.0.1:8000, anderer Port: PORT=8001), aktualisiert sich beim Speichern"
	@echo "make check  – Lesephase des Baus ohne Schreiben: alle Meldungen des Baus, schnell"
	@echo "make status – Stand je Kapitel und offene Aspekte"
	@echo "make bench  – Benchmark (schreibt BENCHMARKS.md)"
	@echo "make bench-pdf – nur kalter PDF-Bau gegen kalten HTML-Bau und barrierefreies PDF gegen make pdf (eigener Abschnitt in BENCHMARKS.md)"
	@echo "make bench-tests – Laufzeit von make test-schnell und make test (eigener Abschnitt in BENCHMARKS.md)"
	@echo "make clean  – $(BUILDDIR) löschen"

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "Einrichtung, etwa eine Minute: virtuelle Umgebung $(VENV) und Paket bnk-bericht …"
	@$(PYTHON) -m venv $(VENV) || { echo "Die virtuelle Umgebung ließ sich nicht anlegen. Unter Debian/Ubuntu fehlt meist das Paket python3-venv: sudo apt-get install python3-venv"; exit 1; }
	@$(PIP) -e . || { echo "Die Pakete ließen sich nicht installieren (Meldungen von pip oben). Ist der Paketindex erreichbar? Danach erneut: make html"; exit 1; }
	@touch $(STAMP)

$(TESTSTAMP): $(STAMP)
	@echo "Testwerkzeuge einrichten (pytest, Playwright, WeasyPrint, mypy, ruff …) …"
	@$(PIP) -e ".[test]" || { echo "Die Testwerkzeuge ließen sich nicht installieren (Meldungen von pip oben). Ist der Paketindex erreichbar? Danach erneut: make test"; exit 1; }
	@touch $(TESTSTAMP)

html: $(STAMP)
	$(BNK) html $(BNKOPTS)

pdf: $(STAMP)
	@tools/ensure-deps pdf
	$(BNK) pdf $(BNKOPTS)

# The file for the print shop: 3 mm bleed, PDF/X-3 in CMYK with an output intent.
pdf-druckerei: $(STAMP)
	@tools/ensure-deps druckerei
	$(BNK) pdf --druckerei $(BNKOPTS)

pdf-barrierefrei: $(STAMP)
	@tools/ensure-deps pdfua
	$(PIP) -e ".[pdfua]"
	$(BNK) pdf-barrierefrei $(BNKOPTS)

# In CI (CI=true) a missing system package fails the run; on a developer's machine the tests that
# need it are skipped, saying why.
test: $(TESTSTAMP)
	tools/ensure-deps all $(if $(CI),,--optional)
	$(BIN)/python -m pytest $(PARALLEL)

test-schnell: $(TESTSTAMP)
	$(BIN)/python -m pytest $(PARALLEL) -m "$(FAST)"

diff: $(STAMP)
	@test -n "$(OLD)" || { echo "Aufruf: make diff OLD=<Revision> [NEW=<Revision>]"; exit 2; }
	$(BNK) diff $(OLD) $(NEW) --markdown $(BUILDDIR)/diff/bnk-diff.md --html $(BUILDDIR)/diff/bnk-diff.html $(DIFFOPTS)
	@cat $(BUILDDIR)/diff/bnk-diff.md

bench: $(TESTSTAMP)
	$(BIN)/python bench/run.py

# Only cold HTML against cold make pdf (a few minutes instead of the whole benchmark).
bench-pdf: $(TESTSTAMP)
	$(BIN)/python bench/run.py --pdf

# Wall time of make test-schnell and make test (own section in BENCHMARKS.md).
bench-tests: $(TESTSTAMP)
	$(BIN)/python bench/run.py --tests

# bnk live stops the server with all its children when it ends (Ctrl+C, or make killed by its PID)
# and says in German which port to use when 8000 is busy: make live PORT=8001.
live: $(STAMP)
	$(PIP) -e ".[live]"
	exec $(BNK) live $(if $(PORT),--port $(PORT))

check: $(STAMP)
	$(BNK) check

status: $(STAMP)
	$(BNK) status

clean:
	rm -rf $(BUILDDIR)
