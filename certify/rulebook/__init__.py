"""Standards files: read, linted and run (`loader`), and the installed ones (`registry`)."""

from certify.rulebook.loader import Finding, RulebookError, load_file
from certify.rulebook.registry import Rulebook, bundled, load_files, standard_files

__all__ = ["Finding", "Rulebook", "RulebookError", "bundled", "load_file", "load_files", "standard_files"]
