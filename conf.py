"""Sphinx configuration of the Nachhaltigkeitsbericht Kreis Heinsberg (the year: bnk_report_year)."""

language = "de"

extensions = ["myst_parser", "bnk"]

# The report's sources are the Markdown pages; everything else in the repository is not a page.
exclude_patterns = [
    "_build",
    "build",
    ".venv",
    "**/.venv",
    "_ext",
    "tests",
    "data",
    "examples",
    ".ci",
    ".github",
    "README.md",
    "**/README.md",
    "BENCHMARKS.md",
    "ARCHITECTURE.md",
    "bench",
    "docs",
    "tools",
]

# --- BNK ------------------------------------------------------------------------------------------
bnk_edition = "2021"
# The report year: title, period, PDF file name and copyright are derived from it below, so a new
# report year is one step (`bnk jahr 2024`).
bnk_report_year = 2023
# The report's metadata, kept in one place: the overview table, the JSON export and the title
# page of the print version are rendered from it.
bnk_report = {
    "kommune": "Kreis Heinsberg",
    "title": f"Nachhaltigkeitsbericht Kreis Heinsberg {bnk_report_year}",
    "website": "https://www.kreis-heinsberg.de",
    "population": 261625,
    "population_date": "2023-06-30",
    "period": str(bnk_report_year),
    "published": str(bnk_report_year + 1),
    "contact": {
        "name": "Beyda Üner",
        "role": "Nachhaltigkeitsmanagerin",
        "unit": "Stabsstelle Nachhaltigkeit",
        "email": "beyda.uener@kreis-heinsberg.de",
        "phone": "02452 - 131701",
    },
    "bnk_variant": "Standardversion",
    "boundaries": (
        "In die Erarbeitung dieses Nachhaltigkeitsberichts wurden keine Eigen- und "
        "Beteiligungsunternehmen einbezogen. Berichtsaspekte des BNK, die Eigen- und "
        "Beteiligungsunternehmen betreffen, sind deshalb in diesem Bericht nicht aufgeführt."
    ),
    "dnk": "Siehe Eigenbetriebe und Beteiligungsunternehmen.",
    # The edition the notes on deviations compare with (the appendix "Abweichungen von …").
    "reference": {"title": "Nachhaltigkeitsbericht 2023, Druckfassung", "year": 2023},
    # The Kommune's look on the web, in print and in the charts: headings, links, badges, cover.
    # Checked for WCAG AA contrast (4.5:1 on white) and as the first colour of the charts.
    "colour": "#205C84",
    # Logo (inside the report folder, PNG/SVG/JPEG): site header and cover. A placeholder mark.
    "logo": "bilder/logo.png",
    # Pages of this report linked in the footer of every page.
    "imprint": "impressum",
    "privacy": "datenschutz",
}
# The Erklärung zur Barrierefreiheit (barrierefreiheit.md) is rendered from this and from the
# toolkit's facts; it is dated from the report's Stand ("published" above), the feedback contact
# is the report's contact.
bnk_accessibility = {
    "status": "teilweise",
    "land": "NRW",
}
# The Kreis words eight aspect titles with "Kreis" where the BNK says "Kommune".
bnk_aspect_titles = {
    "2.1": "Besonderheiten der Verwaltung und des Kreises",
    "2.2": "Kreisspezifische Transformationshebel und Herausforderungen",
    "3.1": "Mittel- und langfristige Nachhaltigkeitsziele des Kreises",
    "11.8": "Klimaanpassung im Kreis",
    "12.1": "Nachhaltige Mobilität im Kreis",
    "13.1": "Lebenslanges Lernen im Kreis",
    "14.8": "Resilienz des Kreises",
    "16.4": "Nachhaltiges Wirtschaften im Kreis",
}

# .get(): a missing entry is reported as a bnk.config warning by the extension, not a crash here.
project = bnk_report.get("title", "Nachhaltigkeitsbericht")
author = bnk_report.get("kommune", "")
copyright = f"{bnk_report_year + 1}, {author}"  # noqa: A001 (Sphinx config name)

# --- HTML -----------------------------------------------------------------------------------------
html_theme = "bnk"
html_title = project
html_short_title = author
html_last_updated_fmt = None
html_show_sourcelink = False
# The report has its own BNK and SDG indexes; Sphinx's general index would stay empty.
html_use_index = False

# --- LaTeX / PDF ----------------------------------------------------------------------------------
# The print design (cover, imprint, colours, fonts, type area) comes from bnk_report and the bnk
# extension; only the file name is set here. XeLaTeX sets the text (full Unicode: CO₂, „…“).
latex_engine = "xelatex"
latex_documents = [
    ("index", f"nachhaltigkeitsbericht-kreis-heinsberg-{bnk_report_year}.tex", project, author, "manual"),
]
