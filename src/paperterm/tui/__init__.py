"""The Textual reader. Imported only when the TUI is launched."""

import os

# Textual paints at most TEXTUAL_FPS frames a second (it reads the variable when first
# imported, which is below: this package comes first). At its default of 60, the results
# of a search typed in the reader waited for the next frame and often the one after (28 ms
# from key to paint at 1,000 papers, p50); at 120, 20 ms. Frames are painted only when
# something changed, so an idle reader costs nothing more. Set TEXTUAL_FPS to choose
# another rate.
os.environ.setdefault("TEXTUAL_FPS", "120")
