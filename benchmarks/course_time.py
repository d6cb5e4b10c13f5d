"""How long the course takes headless, and how long autograding takes per submission.

    python benchmarks/course_time.py

Course: every lesson in course/ executed top to bottom in a fresh kernel (nbclient), as the
tests do. Grading: a class of students who each hand in the solution of every problem set,
graded by the same `tools.grade.grade` as `make grade` (with feedback), in a temporary course
directory.
"""

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def course_seconds():
    """{notebook name: seconds} for every lesson, executed in a fresh kernel."""
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for path in sorted((ROOT / "course").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        times[path.name] = time.perf_counter() - start
    return times


def grading_seconds(n_students=3):
    """{problem set: median seconds per submission} for a class handing in the solutions."""
    from tools.grade import grade
    from tools.release import problem_sets

    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "solutions", course / "solutions")
        sets = problem_sets(course)
        for i in range(n_students):
            for name in sets:
                folder = course / "submitted" / f"student{i}" / name
                folder.mkdir(parents=True)
                for nb in (course / "solutions" / name).glob("*.ipynb"):
                    shutil.copy(nb, folder)
        summary = grade(course_dir=course)
    per_set = {}
    for (_student, name), result in summary["results"].items():
        per_set.setdefault(name, []).append(result["seconds"])
    return {name: statistics.median(values) for name, values in sorted(per_set.items())}


def markdown_rows():
    rows = []
    course = course_seconds()
    rows += ["| lesson | seconds to execute |", "|---|---|"]
    rows += [f"| {name} | {secs:.1f} |" for name, secs in course.items()]
    rows += [f"| **whole course ({len(course)} notebooks)** | **{sum(course.values()):.1f}** |", ""]
    rows += ["| problem set | autograding seconds per submission (median of 3) |", "|---|---|"]
    rows += [f"| {name} | {secs:.1f} |" for name, secs in grading_seconds().items()]
    return rows


if __name__ == "__main__":
    print("\n".join(markdown_rows()))
