"""Generate the student notebooks in assignments/ from the master copies in solutions/.

    python -m tools.release                          # every problem set (what `make release` runs)
    python -m tools.release ps2_perceptron           # just one

For each folder `solutions/<set>/`, `nbgrader generate_assignment <set> --force` writes
`assignments/<set>/`: solutions replaced by `raise NotImplementedError()`, hidden tests removed,
checksums added. It also records the set's cells in the gradebook (gradebook.db), which
autograding needs. The released notebooks are then stripped of outputs and execution counts, so
that releasing twice gives the same files, byte for byte.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["ROOT", "problem_sets", "release", "nbgrader_command", "nbgrader_env", "strip_outputs"]


def problem_sets(course_dir=ROOT):
    """Names of the problem sets: the folders of `solutions/` that contain a notebook."""
    solutions = Path(course_dir) / "solutions"
    return sorted(p.name for p in solutions.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.ipynb")))


def nbgrader_command(*args):
    """The command line that runs nbgrader with this Python."""
    return [sys.executable, "-m", "nbgrader", *args]


def nbgrader_env():
    """The environment for nbgrader: this Python's bin/ first on PATH.

    nbgrader runs the `alembic` command to check its database, which lives next to the Python
    running it; `make release` calls .venv/bin/python without activating the venv.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def strip_outputs(path):
    """Remove outputs, execution counts and run-time metadata from a notebook, in place."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled", "jupyter"):
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)


def release(course_dir=ROOT, release_dir=None, assignments=None):
    """Run `generate_assignment` for each problem set and tidy the results.

    Parameters
    ----------
    course_dir : path
        The course root, holding nbgrader_config.py and solutions/.
    release_dir : path, optional
        Where the student versions go (default: <course_dir>/assignments).
    assignments : list of str, optional
        Problem sets to release (default: all of them).

    Returns
    -------
    list of Path, the released notebooks.
    """
    course_dir = Path(course_dir).resolve()
    release_dir = Path(release_dir or course_dir / "assignments").resolve()
    released = []
    for name in assignments or problem_sets(course_dir):
        if not (course_dir / "solutions" / name).is_dir():
            raise ValueError(f"assignments: no problem set {name!r} in {course_dir / 'solutions'} "
                             f"(found {problem_sets(course_dir)})")
        result = subprocess.run(
            nbgrader_command("generate_assignment", name, "--force",
                             f"--CourseDirectory.root={course_dir}",
                             f"--CourseDirectory.release_directory={release_dir}"),
            cwd=course_dir, env=nbgrader_env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{result.stderr}")
        for path in sorted((release_dir / name).glob("*.ipynb")):
            strip_outputs(path)
            released.append(path)
    return released


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.release",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="problem sets (default: all)")
    args = parser.parse_args(argv)
    for path in release(assignments=args.assignments or None):
        print(f"released {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
