extensions = ["bnk"]
language = "de"
exclude_patterns = ["_build"]
bnk_catalogue_file = "katalog.toml"
bnk_aspect_titles = {"10.2": "Klimaschutz in der Kreisverwaltung"}
html_theme = "alabaster"
