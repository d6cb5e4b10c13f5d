"""End to end: a small ps3 class graded by the real pipeline (tools.grade, kernels and all),
then `python -m tools.report` on it, as `make report` runs it.

The course's copy of ps3 has a broken hidden test in question 3 (test_accuracy compares with
`_metrics.accurcy`, which does not exist): every student's test cell raises the same
AttributeError, and the report must put that question first with that message. Three students
(the solution with a written answer, one wrong part, nothing written) keep the grading short.
"""

import shutil
import subprocess
import sys

import nbformat
import pytest
from harness import NOT_IMPLEMENTED, ROOT, ProblemSet

from tools.grade import Limits, grade

PSET = "ps3_gradient_descent"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    ps = ProblemSet(PSET)
    course = tmp_path_factory.mktemp("graded")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for folder in ("solutions", "assignments"):
        shutil.copytree(ROOT / folder / PSET, course / folder / PSET)
    source = course / "solutions" / PSET / ps.released_name
    nb = nbformat.read(source, as_version=4)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") ==
                "test_accuracy")
    assert "_metrics.accuracy(_y, _p)" in test.source
    test.source = test.source.replace("_metrics.accuracy(_y, _p)", "_metrics.accurcy(_y, _p)")
    nbformat.write(nb, source)
    wrong_cell, wrong_source, _ = ps.cases.WRONG
    solution = ps.student()
    written = next(c for c in solution.cells if c.cell_type == "markdown" and
                   c.metadata.get("nbgrader", {}).get("solution"))
    written.source = "Small batches are noisy but cheap; I would pick 32."
    students = {"solution": solution, "wrong": ps.student({wrong_cell: wrong_source}),
                "nothing": ps.student({a: NOT_IMPLEMENTED for a in ps.answers})}
    for student, notebook in students.items():
        folder = course / "submitted" / student / PSET
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / ps.released_name)
    grade(course, assignments=[PSET], limits=Limits(2048, 60, 120), feedback=False, jobs=2)
    return course


def test_make_report_on_a_graded_class(course):
    done = subprocess.run([sys.executable, "-m", "tools.report", PSET, "--course-dir",
                           str(course)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{PSET}: 3 graded")
    assert lines[1].startswith("  CHECK Q3 test_accuracy: nobody had full marks; errors for "
                               "most students"), done.stdout
    page = (course / "reports" / PSET / "report.html").read_text(encoding="utf-8")
    assert "AttributeError: module &#x27;nnlab.metrics&#x27; has no attribute &#x27;accurcy" \
        in page
    questions = (course / "reports" / PSET / "questions.csv").read_text(encoding="utf-8")
    assert "test_accuracy" in questions and "answer_tradeoffs" in questions
    # the written answer is not graded by hand yet: it waits, and counts in no statistic
    # (nbgrader gives 0 to a written answer left as released: no wait for the two others)
    assert "Written answers waiting for a hand grade" in page
    summary = (course / "reports" / PSET / "summary.csv").read_text(encoding="utf-8")
    assert "solution,,graded," in summary and "not graded yet: answer_tradeoffs" in summary
