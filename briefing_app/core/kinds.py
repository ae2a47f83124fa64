"""The kinds of actor, in a module of their own: the command line's options name them, and
it starts without loading the archive's records."""

KINDS = ("person", "country", "organisation", "place", "group")
"""The kinds of actor: who acts in the news."""
