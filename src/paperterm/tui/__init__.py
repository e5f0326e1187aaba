"""The Textual reader. Imported only when the TUI is launched (``paperterm.tui.launch``)."""
