"""What an import from the reader did: one summary line for a toast, details for a screen.

Importing a folder used to stack one toast per failed file over the screen; now the reader
shows one summary and keeps the details here, for the "Last import report" command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from paperterm.importing import ImportResult
from paperterm.text import plural


@dataclass
class ImportReport:
    """The files imported (with their results) and the files skipped (with the reason)."""

    imported: list[ImportResult] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line: files and papers imported, files skipped with the first reason."""
        new = sum(result.new for result in self.imported)
        known = sum(result.known for result in self.imported)
        if len(self.imported) == 1 and not self.skipped:
            result = self.imported[0]
            return f"{Path(result.source).name}: {result.new} new, {result.known} already known"
        parts = []
        if self.imported:
            parts.append(f"Imported {plural(len(self.imported), 'file')}: "
                         f"{plural(new, 'new paper')}, {known} already known")
        else:
            parts.append("Nothing imported")
        if self.skipped:
            parts.append(f"{plural(len(self.skipped), 'file')} skipped "
                         f"(first: {self.skipped[0][1]})")
        return "; ".join(parts)

    def details(self) -> str:
        """Every file on its own line: what it brought, or why it was skipped."""
        lines = [self.summary(), ""]
        for result in self.imported:
            lines.append(f"imported  {result.source}: {result.new} new, "
                         f"{result.known} already known")
            lines.extend(f"          warning: {warning}" for warning in result.warnings)
        for path, reason in self.skipped:
            # the parser's errors already begin with the file's name
            named = reason if reason.startswith(str(path)) else f"{path}: {reason}"
            lines.append(f"skipped   {named}")
        return "\n".join(lines)
