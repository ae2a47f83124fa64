"""Briefing: an offline desktop briefing reader."""

__version__ = "0.1.0"
