"""Sphinx configuration of the Nachhaltigkeitsbericht Kreis Düren 2021."""

project = "Kreis Düren – Beispielbericht"
author = "Kreis Düren"
copyright = "2021, Kreis Düren"  # noqa: A001 (Sphinx config name)
language = "de"

extensions = ["myst_parser", "bnk"]

exclude_patterns = ["_build", ".venv", "**/.venv", "data", "tools", ".github", "README.md", "**/README.md"]

# --- BNK ------------------------------------------------------------------------------------------
bnk_edition = "2021"
# Für das Beispiel gewählt: das Handlungskonzept nennt kein Datum; seine Maßnahmen laufen 2020–2024.
bnk_report_year = 2021
# Eigene Formulierungen für Aspekttitel, z. B. {"2.1": "Besonderheiten der Verwaltung und der Stadt"}
bnk_aspect_titles = {}

# Metadaten des Berichts: Überblickstabelle, Titelseite und Export werden daraus erzeugt.
bnk_report = {
    "kommune": "Kreis Düren",
    "title": "Kreis Düren – Beispielbericht",
    "period": "2021",
    # Farbe des Kreises als #RRGGBB: Überschriften und Links im Web, Druckfassung (Überschriften,
    # Linien, Titelseite) und die erste Farbe der Diagramme. Geprüft auf WCAG-AA-Kontrast.
    "colour": "#8C2044",
    # Logo (im Berichtsordner, PNG/SVG/JPEG): Kopf jeder Seite und Titelseite. Ein Platzhalter.
    "logo": "bilder/logo.png",
    # Seiten dieses Berichts, auf die die Fußzeile jeder Seite verweist.
    "imprint": "impressum",
    "privacy": "datenschutz",
    # "website": "https://www.example.org",
    # "population": 100000,
    # "population_date": "2021-06-30",
    # "published": "2022",
    # "contact": {"name": "…", "role": "…", "unit": "…", "email": "…", "phone": "…"},
    # "boundaries": "Welche Eigenbetriebe und Beteiligungsunternehmen einbezogen sind.",
}

# Erklärung zur Barrierefreiheit (barrierefreiheit.md): Stand, Datum, Land (Schlichtungsstelle).
# Die Kontaktadresse für Rückmeldungen ist bnk_report["contact"] (für das Beispiel offen).
bnk_accessibility = {
    "status": "teilweise",
    "land": "NRW",
}

# --- HTML -----------------------------------------------------------------------------------------
html_theme = "bnk"
html_title = bnk_report["title"]
html_short_title = bnk_report["kommune"]
html_show_sourcelink = False
# The report has its own BNK and SDG indexes; Sphinx's general index would stay empty.
html_use_index = False

# --- LaTeX / PDF ----------------------------------------------------------------------------------
latex_engine = "xelatex"
latex_documents = [("index", "nachhaltigkeitsbericht-kreis-dueren-2021.tex", project, author, "manual")]
