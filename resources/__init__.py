"""Data shipped with Briefing (samples, and later the gazetteer, templates and icons).

Read through importlib.resources so the files are found installed, editable and frozen.
"""
