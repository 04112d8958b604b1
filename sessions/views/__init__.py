"""Views of the forum, one module per part of the work."""
