"""Sphinx configuration of the $title."""

project = "$title"
author = "$kommune"
copyright = "$year, $kommune"  # noqa: A001 (Sphinx config name)
language = "de"

extensions = ["myst_parser", "bnk"]

exclude_patterns = ["_build", "build", ".venv", "**/.venv", "data", "tools", ".github", "README.md", "**/README.md"]

# --- BNK ------------------------------------------------------------------------------------------
bnk_edition = "$edition"
bnk_report_year = $year
# Eigene Formulierungen für Aspekttitel, z. B. {"2.1": "Besonderheiten der Verwaltung und der Stadt"}
bnk_aspect_titles = {}

# Metadaten des Berichts: Überblickstabelle, Titelseite und Export werden daraus erzeugt.
bnk_report = {
    "kommune": "$kommune",
    "title": "$title",
    "period": "$year",
    # "website": "https://www.example.org",
    # "population": 100000,
    # "population_date": "$year-06-30",
    # "published": "$next_year",
    # "contact": {"name": "…", "role": "…", "unit": "…", "email": "…", "phone": "…"},
    # "boundaries": "Welche Eigenbetriebe und Beteiligungsunternehmen einbezogen sind.",
}

# --- HTML -----------------------------------------------------------------------------------------
html_theme = "sphinx_rtd_theme"
html_title = bnk_report["title"]
html_short_title = bnk_report["kommune"]
html_logo = bnk_report.get("logo")
html_show_sourcelink = False

# --- LaTeX / PDF ----------------------------------------------------------------------------------
latex_engine = "xelatex"
latex_documents = [("index", "$slug.tex", project, author, "manual")]
latex_elements = {
    "papersize": "a4paper",
    "extraclassoptions": "openany",
    "pointsize": "11pt",
    "babel": r"\usepackage[ngerman]{babel}",
    "polyglossia": "",
    "fontpkg": (
        r"\setmainfont{DejaVu Serif}[Scale=0.92]"
        r"\setsansfont{DejaVu Sans}[Scale=0.92]"
        r"\setmonofont{DejaVu Sans Mono}[Scale=0.85]"
    ),
}
