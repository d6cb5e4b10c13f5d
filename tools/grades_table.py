"""grades.csv: one row per student and problem set, written from the gradebook with the csv module.

nbgrader's own CSV export joins the fields with commas without quoting them, so a roster name
written "Oneal, Alice" shifts every column after it; this module writes the same columns
through `csv.writer`, and adds what an instructor needs before trusting a number:

    flags     integrity reasons found while grading (tools.grading.integrity)
    status    graded | waiting for manual grading | no notebook | failed | not submitted
    waiting   the questions still waiting for a grader ("why_not_parity (2 points)")

(`reason`, why a row scores 0 without grading, is added by tools.lms_export.)

>>> waiting_text([("why_not_parity", 2.0), ("explain", 0.5)])
'waiting for manual grading: why_not_parity (2 points), explain (0.5 points)'
"""

import csv
import io

from tools.collect_report import write_atomic

__all__ = ["COLUMNS", "GRADED", "WAITING", "NOT_SUBMITTED", "waiting_for_grader",
           "waiting_text", "write_grades_csv"]

COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
           "email", "raw_score", "late_submission_penalty", "score", "max_score", "flags",
           "status", "waiting"]
GRADED, WAITING, NOT_SUBMITTED = "graded", "waiting for manual grading", "not submitted"


def waiting_for_grader(gb, assignment, student):
    """[(question, points)] of one submission that still need a grader (nbgrader's
    needs_manual_grade: a written answer the student changed and nobody has graded)."""
    from nbgrader.api import MissingEntry

    try:
        submission = gb.find_submission(assignment, student)
    except MissingEntry:
        return []
    return [(grade.name, float(grade.max_score)) for notebook in submission.notebooks
            for grade in notebook.grades if grade.needs_manual_grade]


def waiting_text(questions):
    """The words grades.csv, the summary and the feedback use for waiting questions."""
    if not questions:
        return ""
    return f"{WAITING}: " + ", ".join(f"{name} ({points:g} points)" for name, points in questions)


def _text(value):
    return "" if value is None else str(value)


def write_grades_csv(gb, assignments, csv_path, flags=None, statuses=None):
    """Write grades.csv for `assignments` and every student of the gradebook; return the rows.

    Parameters
    ----------
    gb : nbgrader.api.Gradebook
    assignments : list of str
        The problem sets to write, in this order.
    csv_path : path
        Written through a temporary file, then renamed: never half-written.
    flags : {(student, set): [reason]}, optional
    statuses : {(student, set): str}, optional
        What this run knows beyond the gradebook ("no notebook", "failed").

    Returns
    -------
    list of dict, the rows as written (all values str).
    """
    from nbgrader.api import MissingEntry

    flags, statuses = flags or {}, statuses or {}
    rows = []
    for assignment in assignments:
        record = gb.find_assignment(assignment)
        for student in gb.students:
            row = {"assignment": assignment, "duedate": _text(record.duedate),
                   "student_id": student.id, "last_name": _text(student.last_name),
                   "first_name": _text(student.first_name), "email": _text(student.email),
                   "max_score": f"{float(record.max_score):g}",
                   "flags": "; ".join(flags.get((student.id, assignment), []))}
            try:
                submission = gb.find_submission(assignment, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score="0", late_submission_penalty="0", score="0",
                           status=NOT_SUBMITTED, waiting="")
            else:
                raw, penalty = float(submission.score), float(submission.late_submission_penalty)
                waiting = waiting_for_grader(gb, assignment, student.id)
                status = statuses.get((student.id, assignment)) or (WAITING if waiting else GRADED)
                # statuses: what this run saw that the gradebook cannot say (no notebook, failed)
                row.update(timestamp=_text(submission.timestamp), raw_score=f"{raw:g}",
                           late_submission_penalty=f"{penalty:g}",
                           score=f"{max(0.0, raw - penalty):g}", status=status,
                           waiting=waiting_text(waiting))
            rows.append(row)
    buffer = io.StringIO()
    out = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    out.writeheader()
    out.writerows(rows)
    write_atomic(csv_path, buffer.getvalue().encode())
    return rows
