"""What the report reads: the gradebook, the notebooks, the roster and the grading's flags.

`read_class(course_dir, assignment)` gathers, for one problem set:

- the questions, in notebook order (from the released notebook in assignments/<set>/): each
  graded test cell and each hand-graded written answer, with its maximum from the gradebook,
  and for a test cell the answer cell it tests (the answer cell before it);
- one score per graded student and question (nbgrader's score: the hand grade if there is one,
  else the autograde), NaN for a written answer still waiting for its hand grade;
- for each test cell, how many students' test raised an error and the most common message
  (`ErrorName: message`), read from the autograded notebooks' outputs;
- each student's answer cells (from submitted/) for the similarity check;
- who is missing (roster students and submitted/ folders without a graded notebook, with the
  reason `make collect` gave), who was late (collect/<set>/report.csv, or a submission time
  after the gradebook's due date), the integrity flags `make grade` saved, and the submissions
  that were handed in but not graded.

A student is *graded* when the gradebook has the submission and autograded/<student>/<set>/
holds its notebook; the statistics are those of the graded students.
"""

import csv
import json
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tools.collect_report import collect_reasons, report_path
from tools.grading.gradebook import gradebook
from tools.grading.integrity import load_flags
from tools.release import nbgrader_env
from tools.roster import ROSTER_FILE, Roster, RosterError

__all__ = ["Question", "ClassData", "read_class", "notebook_cells", "ReportError",
           "nbgrader_path"]


class ReportError(ValueError):
    """The report cannot be made; the message says what is missing and what to run."""


@dataclass
class Question:
    name: str              # the cell's grade_id
    kind: str              # "test" (autograded code) or "written" (graded by hand)
    max_score: float
    notebook: str
    answer: str = ""       # the answer cell a test cell tests ("" for a written answer)


@dataclass
class ClassData:
    assignment: str
    questions: list
    students: list                      # graded students, in order
    scores: np.ndarray                  # (n_students, n_questions), NaN = awaiting hand grade
    errors: dict = field(default_factory=dict)    # {question: (errors, crashes, top message)}
    answers: dict = field(default_factory=dict)   # {answer grade_id: {student: source}}
    given: dict = field(default_factory=dict)     # {answer grade_id: released source}
    keep_names: set = field(default_factory=set)  # names the release defines for everybody
    names: dict = field(default_factory=dict)     # {student: full name} from the roster
    everybody: list = field(default_factory=list)  # roster (or submitted/) students
    missing: list = field(default_factory=list)   # [(student, reason)]
    late: dict = field(default_factory=dict)      # {student: how late}
    flags: dict = field(default_factory=dict)     # {student: [integrity reasons]}
    ungraded: list = field(default_factory=list)  # [(student, reason)]
    waiting: dict = field(default_factory=dict)   # {student: [written answers to grade]}

    @property
    def max_scores(self):
        return [q.max_score for q in self.questions]

    @property
    def totals(self):
        return np.nansum(self.scores, axis=1) if len(self.students) else np.zeros(0)


def notebook_cells(path):
    """The cells of a notebook file as plain dicts (json, without nbformat's validation)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f).get("cells", [])


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _release(course_dir, assignment):
    """[(notebook file name, cells)] of the released set."""
    folder = Path(course_dir) / "assignments" / assignment
    paths = sorted(folder.glob("*.ipynb"))
    if not paths:
        raise ReportError(f"assignment: no released notebook in {folder} (run make release; "
                          f"the report needs it to order the questions and to know the given "
                          f"code)")
    return [(p.name, notebook_cells(p)) for p in paths]


def _questions(release, cells_in_gradebook):
    """The graded cells in notebook order, the released answer cells, the code cells' sources.

    `cells_in_gradebook` is {grade_id: (max score, cell type)}; a graded cell the release lacks
    (a release older than the gradebook) comes last rather than being left out.
    """
    questions, given, sources = [], {}, set()
    for notebook, cells in release:
        answer = ""
        for cell in cells:
            meta = _meta(cell)
            grade_id = meta.get("grade_id")
            if cell.get("cell_type") == "code":
                sources.add(_source(cell))
            if not grade_id:
                continue
            if meta.get("solution") and not meta.get("grade") and cell["cell_type"] == "code":
                answer = grade_id
                given[grade_id] = _source(cell)
            elif meta.get("grade") and grade_id in cells_in_gradebook:
                kind = "test" if cell["cell_type"] == "code" else "written"
                questions.append(Question(grade_id, kind, cells_in_gradebook[grade_id][0],
                                          notebook, answer if kind == "test" else ""))
    found = {q.name for q in questions}
    for grade_id, (top, cell_type) in sorted(cells_in_gradebook.items()):
        if grade_id not in found:
            kind = "test" if cell_type == "code" else "written"
            questions.append(Question(grade_id, kind, top, "?"))
    return questions, given, sources


def _late(course_dir, assignment, submissions):
    late = {}
    path = report_path(course_dir, assignment)
    if path.exists():
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("late", "").strip():
                    late[row["student_id"]] = "marked late by the LMS"
    for student, seconds in submissions.items():
        if seconds > 0:
            hours = seconds / 3600
            late[student] = f"{hours:.1f} h after the due date" if hours >= 1 \
                else f"{seconds / 60:.0f} min after the due date"
    return late


@contextmanager
def nbgrader_path():
    """nbgrader may run `alembic` (next to this Python) when it opens the gradebook."""
    path = os.environ.get("PATH")
    os.environ["PATH"] = nbgrader_env()["PATH"]
    try:
        yield
    finally:
        if path is None:
            del os.environ["PATH"]
        else:
            os.environ["PATH"] = path


def read_class(course_dir, assignment):
    """Everything the report shows about one problem set (see the module docstring)."""
    from nbgrader.api import MissingEntry

    from tools.report.similarity import release_names

    course_dir = Path(course_dir)
    if not (course_dir / "gradebook.db").exists():
        raise ReportError(f"no gradebook.db in {course_dir}: grade the submissions first "
                          f"(make grade)")
    release = _release(course_dir, assignment)
    with nbgrader_path(), gradebook(course_dir) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            known = sorted(a.name for a in gb.assignments)
            raise ReportError(f"assignment: the gradebook has no problem set {assignment!r} "
                              f"(it has {', '.join(known) or 'none'}); run make grade") from None
        cells = {c.name: (float(c.max_score), c.cell_type) for nb in record.notebooks
                 for c in nb.grade_cells}
        questions, given, sources = _questions(release, cells)
        subs, seconds_late, grades = _scores(gb, record, questions)
        in_gradebook = sorted(s.id for s in gb.students)

    roster = None
    if (course_dir / ROSTER_FILE).exists():
        try:
            roster = Roster.read(course_dir / ROSTER_FILE)
        except RosterError as error:
            print(f"WARNING: {error}; the report lists the students of submitted/ only")
    submitted = course_dir / "submitted"
    folders = sorted(p.name for p in submitted.iterdir() if p.is_dir()) \
        if submitted.is_dir() else []
    everybody = [s.student_id for s in roster] if roster else \
        sorted(set(folders) | set(in_gradebook))
    names = {s.student_id: s.name for s in roster} if roster else {}
    notebooks = [notebook for notebook, _ in release]
    reasons = collect_reasons(course_dir, assignment)

    data = ClassData(assignment, questions, [], np.zeros((0, len(questions))), given=given,
                     keep_names=release_names(sources), names=names, everybody=everybody)
    error_counts = {q.name: Counter() for q in questions if q.kind == "test"}
    rows = []
    for student in sorted(set(everybody) | set(folders) | set(subs)):
        folder = submitted / student / assignment
        handed_in = [folder / nb for nb in notebooks if (folder / nb).exists()]
        graded = [course_dir / "autograded" / student / assignment / nb for nb in notebooks]
        graded = [p for p in graded if p.exists()]
        if student in subs and graded:
            data.students.append(student)
            rows.append(grades[student])
            for path in graded:
                _read_errors(notebook_cells(path), error_counts)
            waiting = [q.name for q, v in zip(questions, grades[student]) if np.isnan(v)]
            if waiting:
                data.waiting[student] = waiting
        elif handed_in:
            data.ungraded.append((student, "handed in but not graded (grading failed or has "
                                           "not run: see make grade's output and .nbgrader.log)"))
        elif folder.is_dir():
            data.missing.append((student, reasons.get(student) or
                                 f"the folder submitted/{student}/{assignment}/ has no notebook"))
        elif student in everybody:
            data.missing.append((student, reasons.get(student) or "nothing submitted"))
        for path in handed_in:
            for cell in notebook_cells(path):
                grade_id = _meta(cell).get("grade_id")
                if grade_id in given:
                    data.answers.setdefault(grade_id, {})[student] = _source(cell)
        found = load_flags(course_dir, assignment, student)
        if found:
            data.flags[student] = found
    if rows:
        data.scores = np.vstack(rows)
    data.late = _late(course_dir, assignment,
                      {s: v for s, v in seconds_late.items() if s in set(data.students)})
    data.errors = {name: (sum(c.values()), sum(v for m, v in c.items()
                                               if not m.startswith("AssertionError")), _top(c))
                   for name, c in error_counts.items() if c}
    return data


def _scores(gb, record, questions):
    """({student}, {student: seconds late}, {student: scores row}) in two queries.

    A score is nbgrader's: the hand grade (plus extra credit) if there is one, else the
    autograde; NaN when neither is set and the cell waits for a hand grade.
    """
    from nbgrader.api import BaseCell, Grade, SubmittedAssignment, SubmittedNotebook

    due = record.duedate
    seconds_late = {}
    for student, timestamp, extension in gb.db.query(
            SubmittedAssignment.student_id, SubmittedAssignment.timestamp,
            SubmittedAssignment.extension).filter(
            SubmittedAssignment.assignment_id == record.id):
        late = 0.0
        if due is not None and timestamp is not None:
            late = max(0.0, (timestamp - (due + extension if extension else due))
                       .total_seconds())
        seconds_late[student] = late
    index = {q.name: j for j, q in enumerate(questions)}
    grades = {s: np.zeros(len(questions)) for s in seconds_late}
    rows = (gb.db.query(SubmittedAssignment.student_id, BaseCell.name, Grade.auto_score,
                        Grade.manual_score, Grade.extra_credit, Grade.needs_manual_grade)
            .select_from(Grade)
            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
            .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
            .join(BaseCell, Grade.cell_id == BaseCell.id)
            .filter(SubmittedAssignment.assignment_id == record.id))
    for student, name, auto, manual, extra, waiting in rows:
        j = index.get(name)
        if j is None:
            continue
        if manual is None and auto is None:
            grades[student][j] = np.nan if waiting else 0.0
        else:
            grades[student][j] = (manual if manual is not None else auto) + (extra or 0.0)
    return set(seconds_late), seconds_late, grades


def _top(counter):
    message, count = counter.most_common(1)[0]
    return f"{message} ({count}x)"


def _read_errors(cells, counts):
    for cell in cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id not in counts:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                name, value = output.get("ename", "Error"), str(output.get("evalue", ""))
                message = f"{name}: {value.strip()}" if value.strip() else name
                counts[grade_id][message[:200]] += 1
                break
