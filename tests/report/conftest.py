"""Report tests: make the course root (for `tools`), this folder (for `simulated`, `answers`)
and tests/grading (for the simulated-class `harness`) importable, whichever way pytest starts."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[1], HERE.parent / "grading", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
