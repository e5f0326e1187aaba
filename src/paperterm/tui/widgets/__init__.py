"""Widgets of the reader's main screen."""
