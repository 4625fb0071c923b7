"""Sphinx-Konfiguration des Handbuchs für Autorinnen und Autoren (eigenes kleines Projekt).

Bauen (vom Repository aus):

    .venv/bin/sphinx-build -b html -W --keep-going anleitung _build/anleitung

(im Repository der Werkzeuge liegt es unter _ext/bnk/templates/anleitung; bnk new kopiert es
in jeden neuen Bericht)

Die Beispiele mit BNK-Syntax stehen in Codeblöcken; sie werden gezeigt, nicht ausgeführt.
Deshalb braucht dieses Projekt die Erweiterung ``bnk`` nicht.
"""

project = "Handbuch für Autorinnen und Autoren"
author = "Redaktion Nachhaltigkeitsbericht"
language = "de"

extensions = ["myst_parser"]

exclude_patterns = ["_build"]

html_theme = "pydata_sphinx_theme"  # the report's theme: no second theme to install
html_title = project
html_show_sourcelink = False
