"""The licence notice at the foot of each notebook's first cell, written from one place.

Every lesson (course/*.ipynb) and every problem set's master copy (solutions/*/*.ipynb) ends its
first cell with one line saying under which terms it may be reused. The line is generated here,
so changing the licence or the wording means changing ``NOTICE`` and running

    python -m tools.notices            stamp every notebook (then `make release` for assignments/)
    python -m tools.notices --check    exit 1, naming each notebook whose notice is missing or stale

The links are relative to the notebook, so they work in a clone, on Binder, on a hub and in the
student edition alike (LICENSE and LICENSE-CONTENT.md sit at the root of each).
"""

import argparse
import os
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- nnlab:licence -->"
NOTICE = ("<sub>© the nnlab contributors · text, problems and figures: "
          "[CC BY 4.0]({root}LICENSE-CONTENT.md) · code: [MIT]({root}LICENSE)</sub>")


def notebooks(root=ROOT):
    """The notebooks that carry the notice: the lessons and the problem sets' master copies."""
    root = Path(root)
    return sorted(root.glob("course/*.ipynb")) + sorted(root.glob("solutions/*/*.ipynb"))


def footer(path, root=ROOT):
    """The notice block for the notebook at `path` (links relative to its folder)."""
    up = os.path.relpath(Path(root), Path(path).resolve().parent)
    return f"{MARKER}\n{NOTICE.format(root=up + '/')}"


def stamped(source, block):
    """`source` of a markdown cell with `block` at its foot (an older block is replaced)."""
    body = source.split(MARKER)[0].rstrip("\n")
    return f"{body}\n\n{block}"


def _first_cell(nb, path):
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        raise ValueError(f"{path}: the first cell must be a markdown cell (the title), "
                         f"but it is {nb.cells[0].cell_type if nb.cells else 'missing'}")
    return nb.cells[0]


def stale(root=ROOT):
    """Notebooks whose first cell does not end with the current notice."""
    out = []
    for path in notebooks(root):
        cell = _first_cell(nbformat.read(path, as_version=4), path)
        if cell.source != stamped(cell.source, footer(path, root)):
            out.append(path)
    return out


def stamp(root=ROOT):
    """Write the notice into every notebook that lacks it; return the paths changed."""
    changed = stale(root)
    for path in changed:
        nb = nbformat.read(path, as_version=4)
        cell = _first_cell(nb, path)
        cell.source = stamped(cell.source, footer(path, root))
        nbformat.write(nb, path)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.notices",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    if args.check:
        out = stale()
        for path in out:
            print(f"{path.relative_to(ROOT)}: licence notice missing or out of date "
                  "(run python -m tools.notices)", file=sys.stderr)
        return 1 if out else 0
    for path in stamp():
        print(f"stamped {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
