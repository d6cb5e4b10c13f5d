"""Simulated graded classes for the report, built without running a kernel.

`GeneratedClass` makes a temporary course (nbgrader_config.py, the set's solutions/ and
assignments/), records the set in nbgrader's gradebook (`generate_assignment`, as `make grade`
does), then adds students the way grading would have left them: a submitted notebook (the
release with answers written in), an autograded copy whose failed test cells carry an error
output, and the scores in the gradebook (nbgrader's Gradebook API). Used by tests/report, by
benchmarks/report_speed.py (300 students) and for the screenshot in INSTRUCTORS.md.

`random_class` draws a class from a simple ability model: student s gets full marks on test
cell j with probability sigmoid(1.7 (ability_s - difficulty_j)); the answer cell of a passed
test holds the instructor's solution or the case file's alternative, that of a failed one the
case file's wrong answer or the untouched release.
"""

import copy
import datetime
import json
import shutil
import warnings
from pathlib import Path

import nbformat
import numpy as np

from tools.grading.gradebook import gradebook
from tools.report.data import nbgrader_path

ROOT = Path(__file__).resolve().parents[2]
DUE = datetime.datetime(2026, 11, 30, 23, 59)


class GeneratedClass:
    """A course folder with one graded problem set (see the module docstring)."""

    def __init__(self, course, pset):
        from harness import ProblemSet

        self.course, self.ps = Path(course), ProblemSet(pset)
        self.name = pset
        self.course.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "nbgrader_config.py", self.course)
        for folder in ("solutions", "assignments"):
            shutil.copytree(ROOT / folder / pset, self.course / folder / pset,
                            dirs_exist_ok=True)
        self.release = self.ps.released()
        self._record()
        self.tests = list(self.ps.points)                      # test cells, in order
        self.written = {}                                     # written answers: points
        for cell in self.release.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("grade"):
                self.written[meta["grade_id"]] = float(meta["points"])

    def _record(self):
        """The gradebook's record of the set, as generate_assignment writes it (faster)."""
        nb_name = Path(self.ps.released_name).stem
        with nbgrader_path(), gradebook(self.course) as gb:
            gb.update_or_create_assignment(self.name, duedate=DUE)
            gb.add_notebook(nb_name, self.name)
            for cell in self.release.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade"):
                    gb.add_grade_cell(meta["grade_id"], nb_name, self.name,
                                      max_score=float(meta["points"]),
                                      cell_type=cell.cell_type)
                if meta.get("solution"):
                    gb.add_solution_cell(meta["grade_id"], nb_name, self.name)

    def notebook(self, answers):
        """The release with {answer grade_id: source} written into its answer cells."""
        nb = copy.deepcopy(self.release)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        return nb

    def add(self, students, errors=None, late=()):
        """Add graded students.

        students : {student: (answers, scores)} with answers {answer grade_id: source} and
            scores {cell grade_id: points, or None for a written answer not graded yet}
            (cells not named score 0)
        errors : {(student, test grade_id): "Name: message"} for the error output of a failed
            test (default: "AssertionError: " for every test that is not full marks)
        late : students who handed in a day after the due date
        """
        errors = errors or {}
        nb_name = self.ps.released_name
        with gradebook(self.course) as gb, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy autoflush warnings
            for student, (answers, scores) in students.items():
                nb = self.notebook(answers)
                folder = self.course / "submitted" / student / self.name
                folder.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, folder / nb_name)
                for cell in nb.cells:
                    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                    if grade_id in self.ps.points and \
                            scores.get(grade_id, 0) < self.ps.points[grade_id]:
                        name, _, message = errors.get((student, grade_id),
                                                      "AssertionError: ").partition(": ")
                        cell.outputs = [nbformat.v4.new_output(
                            "error", ename=name, evalue=message, traceback=[])]
                graded = self.course / "autograded" / student / self.name
                graded.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, graded / nb_name)
                when = DUE + datetime.timedelta(days=1 if student in late else -1)
                gb.update_or_create_student(student)
                submission = gb.update_or_create_submission(self.name, student, timestamp=when)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        value = scores.get(grade.name, 0.0)
                        if grade.name in self.written:
                            grade.manual_score = value
                            grade.needs_manual_grade = value is None
                        else:
                            grade.auto_score = value
                            grade.needs_manual_grade = False
                gb.db.commit()

    def add_ungraded(self, student):
        """A student whose notebook is in submitted/ but was never graded."""
        folder = self.course / "submitted" / student / self.name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(self.release, folder / self.ps.released_name)

    def add_empty_folder(self, student):
        """A submission folder without the notebook (make grade records it as 0)."""
        (self.course / "submitted" / student / self.name).mkdir(parents=True, exist_ok=True)
        (self.course / "submitted" / student / self.name / "notes.txt").write_text("oops\n")

    def flag(self, student, reasons):
        """Integrity flags as make grade saves them."""
        path = self.course / "autograded" / student / self.name / "integrity.json"
        path.write_text(json.dumps(reasons))

    def write_roster(self, rows):
        """roster.csv from [(student_id, name, email)] (names with commas and accents welcome)."""
        import csv

        with open(self.course / "roster.csv", "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["student_id", "name", "email"])
            out.writerows(rows)


def random_class(generated, n, seed=0, broken=None, flat=None, prefix="s", pool=None):
    """{student: (answers, scores)} for n students drawn from the ability model.

    broken : a test grade_id that nobody passes (a broken hidden test)
    flat : a test grade_id passed at random, whatever the ability (no discrimination)
    pool : {answer grade_id: [sources]}, optional: the students who pass the tests of such a
        cell hand in these sources in turn (so that each is shared by several students:
        common code, as when a class writes the same few answers) and every other answer cell
        is left as released (for a class in which only these answers are compared)
    """
    ps, rng = generated.ps, np.random.default_rng(seed)
    wrong_cell, wrong_source, _ = ps.cases.WRONG
    answer_of = {t: a for a, tests in ps.tests_of.items() for t in tests}
    difficulty = np.linspace(-1.5, 1.5, len(generated.tests))
    students, turn = {}, dict.fromkeys(pool or {}, 0)
    for i in range(n):
        ability = rng.normal()
        scores, answers = {}, {}
        for j, test in enumerate(generated.tests):
            p = 1 / (1 + np.exp(-1.7 * (ability - difficulty[j])))
            if test == flat:
                p = 0.5
            passed = test != broken and rng.random() < p
            scores[test] = ps.points[test] if passed else 0.0
            answer = answer_of[test]
            if pool is not None:
                if passed and answer in pool and answer not in answers:
                    answers[answer] = pool[answer][turn[answer] % len(pool[answer])]
                    turn[answer] += 1
            elif answer not in answers:
                if passed:
                    good = ps.cases.ALTERNATIVE.get(answer) if rng.random() < 0.4 else None
                    answers[answer] = good or ps.answers[answer]
                elif answer == wrong_cell and rng.random() < 0.5:
                    answers[answer] = wrong_source
        for cell, top in generated.written.items():
            scores[cell] = float(np.clip(np.round(top / (1 + np.exp(-ability)) + rng.normal()),
                                         0, top))
        students[f"{prefix}{i:03d}"] = (answers, scores)
    return students
