"""The report's numbers as CSV files (UTF-8, written with the csv module, so that names with
commas, quotes and accents survive), each written whole or not at all.

- summary.csv: one row per student of the class: name, status (graded / missing / not
  graded), total, late, integrity flags, reason;
- questions.csv: one row per question with its statistics and flags;
- scores-by-question.csv: for the LMS gradebook, one row per student, one column per question
  (the column header is the question's cell name), then the total; empty where there is no
  score (missing, or a written answer not graded yet);
- similar.csv: the similar pairs (question, students, similarity, shared fingerprints).
"""

import csv
import io

import numpy as np

from tools.collect_report import write_atomic

__all__ = ["write_csv", "summary_rows", "question_rows", "lms_rows", "similar_rows"]


def write_csv(path, rows):
    """Write rows (the first is the header) to path as UTF-8 CSV, atomically."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def _number(value, digits=3):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if isinstance(value, float) \
        else str(value)


def summary_rows(data):
    totals = dict(zip(data.students, data.totals))
    missing, ungraded = dict(data.missing), dict(data.ungraded)
    rows = [["student_id", "name", "status", "total", "max", "late", "flags", "reason"]]
    top = sum(data.max_scores)
    for student in sorted(set(data.everybody) | set(data.students) | set(ungraded)):
        if student in totals:
            status, reason = "graded", ""
            if student in data.waiting:
                reason = "written answer not graded yet: " + ", ".join(data.waiting[student])
        elif student in ungraded:
            status, reason = "not graded", ungraded[student]
        else:
            status, reason = "missing", missing.get(student, "nothing submitted")
        rows.append([student, data.names.get(student, ""), status,
                     _number(float(totals[student])) if student in totals else "",
                     _number(float(top)), data.late.get(student, ""),
                     "; ".join(data.flags.get(student, [])), reason])
    return rows


COLUMNS = ["number", "name", "max", "n", "mean", "difficulty", "discrimination",
           "upper_lower", "full", "partial", "zero", "errors", "top_error"]


def question_rows(stats):
    rows = [COLUMNS + ["flags"]]
    for row in stats:
        rows.append([_number(row[c]) if not isinstance(row[c], str) else row[c]
                     for c in COLUMNS] + ["; ".join(row["flags"])])
    return rows


def lms_rows(data):
    """One row per student of the class, one column per question, then the total."""
    header = ["student_id", "name"] + [q.name for q in data.questions] + ["total"]
    rows = [header]
    scores = dict(zip(data.students, data.scores))
    for student in sorted(set(data.everybody) | set(data.students)):
        row = [student, data.names.get(student, "")]
        if student in scores:
            row += [_number(float(v)) for v in scores[student]]
            row.append(_number(float(np.nansum(scores[student]))))
        else:
            row += [""] * (len(data.questions) + 1)
        rows.append(row)
    return rows


def similar_rows(pairs):
    rows = [["question", "student_a", "student_b", "similarity", "shared_fingerprints"]]
    for question, similarity, a, b, shared in pairs:
        rows.append([question, a, b, _number(similarity, 2), len(shared)])
    return rows
