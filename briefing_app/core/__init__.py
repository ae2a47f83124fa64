"""Qt-free core of Briefing: archive, importers, search. Usable from scripts, the CLI and tests."""
