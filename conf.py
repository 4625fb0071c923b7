"""Sphinx configuration of the Nachhaltigkeitsbericht Kreis Heinsberg 2023."""

project = "Nachhaltigkeitsbericht Kreis Heinsberg 2023"
author = "Kreis Heinsberg"
copyright = "2024, Kreis Heinsberg"  # noqa: A001 (Sphinx config name)
language = "de"

extensions = ["myst_parser", "bnk"]

# The report's sources are the Markdown pages; everything else in the repository is not a page.
exclude_patterns = [
    "_build",
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
]

# --- BNK ------------------------------------------------------------------------------------------
bnk_edition = "2021"
bnk_report_year = 2023
bnk_report = {"kommune": "Kreis Heinsberg"}
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

# --- HTML -----------------------------------------------------------------------------------------
html_theme = "sphinx_rtd_theme"
html_title = project
html_last_updated_fmt = None
html_show_sourcelink = False
