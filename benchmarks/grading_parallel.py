"""Autograding in parallel: seconds per submission with one worker and with two.

    python benchmarks/grading_parallel.py

The same 12 submissions of ps3 (the solution, a wrong answer, and answers left unimplemented,
taken in turn) are graded by `tools.grade.grade` as `make grade` grades them (with feedback),
once with `jobs=1` and once with `jobs=2`, each in a fresh temporary course, every kernel in a
jail as `make grade` runs it (tools/grading/jail.py). Target: two workers at least 1.6x faster
than one on a 2-core machine, and more with more cores.
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "grading")]

PROBLEM_SET = "ps3_gradient_descent"
SUBMISSIONS = 12
TARGET = 1.6


def submissions(ps):
    """12 notebooks: the solution, the case file's wrong answer, each answer unimplemented."""
    from harness import NOT_IMPLEMENTED

    wrong_cell, wrong_source, _ = ps.cases.WRONG
    kinds = [ps.student(), ps.student({wrong_cell: wrong_source})]
    kinds += [ps.student({answer: NOT_IMPLEMENTED}) for answer in ps.answers]
    return [kinds[i % len(kinds)] for i in range(SUBMISSIONS)]


def seconds_per_submission(jobs):
    import nbformat
    from harness import ProblemSet

    from tools.grade import grade

    ps = ProblemSet(PROBLEM_SET)
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "solutions" / PROBLEM_SET, course / "solutions" / PROBLEM_SET)
        for i, nb in enumerate(submissions(ps)):
            folder = course / "submitted" / f"student{i:02d}" / PROBLEM_SET
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / ps.released_name)
        start = time.perf_counter()
        summary = grade(course, assignments=[PROBLEM_SET], jobs=jobs, force=True)
        seconds = time.perf_counter() - start
    graded = sum(r["status"] == "graded" for r in summary["results"].values())
    if graded != SUBMISSIONS:
        raise RuntimeError(f"only {graded} of {SUBMISSIONS} submissions were graded")
    return seconds / SUBMISSIONS


def markdown_rows():
    one = seconds_per_submission(1)
    two = seconds_per_submission(2)
    speedup = one / two
    verdict = "met" if speedup >= TARGET else "NOT met"
    return [f"{SUBMISSIONS} submissions of {PROBLEM_SET}, graded with feedback "
            "(`make grade JOBS=N`), wall-clock time of the whole run divided by 12.", "",
            "| workers | seconds per submission | speed-up |", "|---|---|---|",
            f"| 1 | {one:.2f} | 1.00x |", f"| 2 | {two:.2f} | {speedup:.2f}x |", "",
            f"Target: 2 workers >= {TARGET}x faster than 1: {verdict}."]


if __name__ == "__main__":
    print("\n".join(markdown_rows()))
