"""Collect tests: the course root (for `tools`), this folder (for `lms_archives`) and the grading
tests' folder (for `harness`) importable, whichever way pytest is started."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[1], HERE, HERE.parent / "grading"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
