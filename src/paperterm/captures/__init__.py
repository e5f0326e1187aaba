"""Capture readers: the Daily Papers page, however it was captured, as a ``Digest``."""
