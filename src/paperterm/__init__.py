"""paperterm: a terminal reader and reading-list manager for daily research-paper digests."""

__version__ = "0.1.0"
