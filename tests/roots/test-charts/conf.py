extensions = ["bnk"]
language = "de"
html_theme = "alabaster"
exclude_patterns = ["_build"]
bnk_catalogue_file = "katalog.toml"
bnk_report_year = 2023
bnk_report = {"kommune": "Kreis Testheim"}
