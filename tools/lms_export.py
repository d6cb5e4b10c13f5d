"""From the gradebook to the LMS: every roster student in grades.csv, and the LMS import files.

`make grade` calls two functions of this module (tools/grade.py, at its export):

- `enrol_roster(gb, course_dir)` adds every student of roster.csv to the gradebook before the
  export, so that grades.csv has a row (0) for a student who submitted nothing at all;
- `finish_export(...)` adds a `reason` column to grades.csv (why a row scores 0 without
  grading), lists the roster students with no graded submission, and writes the LMS import file
  asked for with `--to-lms`:

      python -m tools.grade --to-lms canvas      # grades-canvas.csv next to grades.csv
      python -m tools.lms_export moodle           # the same from an existing grades.csv

Canvas (Grades -> Import), as instructure/canvas-lms app/models/gradebook_importer.rb reads it:
the header starts "Student", "ID", then "SIS User ID", "SIS Login ID", and the last student
column is "Section"; then one column per assignment. A student is matched by ID (Canvas user
id), else SIS User ID, else SIS Login ID, else name ("Last, First"). A row whose first cell is
"Points Possible" gives the assignments' points. An assignment column is matched by
"<title> (<Canvas assignment id>)", else by its exact title, else it creates a new assignment:
rename our column (the set's name) to the Canvas assignment's title if they differ. (Also the
Ohio State guide "Import a CSV file to Carmen Grades", teaching.resources.osu.edu.)

Moodle (Grades -> Import -> CSV file; docs.moodle.org "Grade import": map "Email address" to
"useremail", or "ID number" to "useridnumber", then each set's column to its grade item).
"""

import argparse
import csv
import io
import sys
from pathlib import Path

from tools.collect import collect_reasons, write_atomic
from tools.roster import ROSTER_FILE, Roster, RosterError

__all__ = ["enrol_roster", "finish_export", "missing_students", "add_reasons", "read_grades",
           "write_canvas", "write_moodle", "CANVAS_COLUMNS", "MOODLE_COLUMNS", "EXPORTS"]

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["ID number", "Email address", "Full name"]
_WHY = {"not submitted": "no notebook in submitted/{student}/{set}/",
        "no notebook": "the submission folder has no {set}.ipynb",
        "failed": "grading failed (see .nbgrader.log): {error}"}


def _roster(course_dir, roster=None):
    if isinstance(roster, Roster):
        return roster
    path = Path(roster) if roster else Path(course_dir) / ROSTER_FILE
    return Roster.read(path) if path.exists() or roster else None


def enrol_roster(gb, course_dir, roster=None):
    """Add the roster's students to an nbgrader Gradebook; return the Roster (or None).

    An unusable roster.csv must not cost a grading run: it is reported, and the export goes on
    with the students of submitted/ only.
    """
    try:
        roster = _roster(course_dir, roster)
    except RosterError as error:
        print(f"WARNING: {error}\nWARNING: grades.csv lists only the students of submitted/; "
              "fix the roster and run make grade again (nothing is graded twice).",
              file=sys.stderr)
        return None
    for s in roster or []:
        first, _, last = s.name.rpartition(" ")
        gb.update_or_create_student(s.student_id, first_name=first or last, last_name=last,
                                    email=s.email)
    return roster


def missing_students(course_dir, assignments, results, roster=None):
    """[(student, set, reason)] for every student and set with no graded submission.

    `results` is tools.grade's {(student, set): {"status", "error", ...}}; a roster student who
    is not in it never reached submitted/: the reason comes from the last `make collect`.
    Students graded but missing from the roster are listed too (set "-").
    """
    roster = _roster(course_dir, roster)
    everyone = [s.student_id for s in roster] if roster else sorted({s for s, _ in results})
    rows = []
    for assignment in assignments:
        collected = collect_reasons(course_dir, assignment)
        for student in everyone:
            result = results.get((student, assignment))
            if result is None and (Path(course_dir) / "submitted" / student / assignment).is_dir():
                continue  # submitted, but not graded in this run (make grade --student ...)
            if result is None:
                why = collected.get(student) or "not collected: no submitted/ folder " \
                    "(run make collect)"
            elif result["status"] != "graded":
                why = _WHY.get(result["status"], result["status"]).format(
                    student=student, set=assignment, error=result.get("error", "")[-300:])
                if student in collected:
                    why = f"{collected[student]} ({why})"
            else:
                continue
            rows.append((student, assignment, why))
    if roster:
        for student in sorted({s for s, _ in results} - set(roster.by_id)):
            rows.append((student, "-", f"in submitted/ but not on {roster.source}: graded, "
                                       "but the LMS exports leave them out"))
    return rows


def add_reasons(csv_path, missing):
    """Add a `reason` column to nbgrader's grades.csv (written to a temporary file, renamed)."""
    why = {(s, a): r for s, a, r in missing}
    with open(csv_path, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        fields = list(reader.fieldnames or [])
    if "reason" not in fields:
        fields.append("reason")
    buffer = io.StringIO()
    out = csv.DictWriter(buffer, fields, lineterminator="\n")
    out.writeheader()
    for row in rows:
        row["reason"] = why.get((row["student_id"], row["assignment"]), row.get("reason", ""))
        out.writerow(row)
    write_atomic(csv_path, buffer.getvalue().encode())


def read_grades(csv_path):
    """{(student_id, assignment): score} and {assignment: max_score} from grades.csv."""
    scores, maxima = {}, {}
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            scores[row["student_id"], row["assignment"]] = float(row["score"] or 0)
            maxima[row["assignment"]] = float(row["max_score"] or 0)
    return scores, maxima


def _number(x):
    return f"{x:g}"


def write_canvas(path, scores, maxima, roster, assignments):
    """Canvas's gradebook import CSV: one row per roster student, one column per set."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(CANVAS_COLUMNS + list(assignments))
    out.writerow(["Points Possible", "", "", "", ""] + [_number(maxima[a]) for a in assignments])
    for s in roster:
        first, _, last = s.name.rpartition(" ")
        sortable = f"{last}, {first}" if first else last
        out.writerow([sortable, s.lms_id, s.sis_id or s.student_id, s.login, s.section] +
                     [_number(scores.get((s.student_id, a), 0.0)) for a in assignments])
    write_atomic(path, buffer.getvalue().encode())


def write_moodle(path, scores, maxima, roster, assignments):
    """A CSV for Moodle's grade import: ID number, e-mail, name, one column per set."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(MOODLE_COLUMNS + list(assignments))
    for s in roster:
        out.writerow([s.sis_id or s.student_id, s.email, s.name] +
                     [_number(scores.get((s.student_id, a), 0.0)) for a in assignments])
    write_atomic(path, buffer.getvalue().encode())


EXPORTS = {"canvas": write_canvas, "moodle": write_moodle}


def export(lms, csv_path, roster, to=None, assignments=None):
    """Write grades-<lms>.csv (or `to`) from grades.csv; return its path."""
    if lms not in EXPORTS:
        raise ValueError(f"to_lms: expected one of {', '.join(EXPORTS)}, but got {lms!r}")
    if roster is None:
        raise ValueError(f"to_lms: the {lms} import matches students by their LMS ids: write "
                         f"{ROSTER_FILE} first (see INSTRUCTORS.md)")
    scores, maxima = read_grades(csv_path)
    assignments = list(assignments or sorted(maxima))
    target = Path(to or Path(csv_path).with_name(f"grades-{lms}.csv"))
    EXPORTS[lms](target, scores, maxima, roster, assignments)
    return target


def finish_export(course_dir, csv_path, assignments, results, roster, to_lms=None, say=print):
    """After nbgrader's export: reasons in grades.csv, the LMS file; return missing_students."""
    missing = missing_students(course_dir, assignments, results, roster)
    add_reasons(csv_path, missing)
    if to_lms:
        try:
            target = export(to_lms, csv_path, roster, None, assignments)
            say(f"{to_lms} import file written to {target}")
        except ValueError as error:
            print(f"WARNING: no {to_lms} import file: {error}", file=sys.stderr)
    return missing


def print_missing(missing, out=None):
    """The closing list of `make grade`: who has no graded submission, and why."""
    out = out or sys.stdout
    if not missing:
        print("Every student has a graded submission for every set.", file=out)
        return
    print(f"{len(missing)} student/set(s) without a graded submission (they score 0):", file=out)
    for student, assignment, why in missing:
        print(f"  {student:<20} {assignment:<26} {why}", file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write an LMS grade import file from "
                                                 "grades.csv and roster.csv.")
    parser.add_argument("lms", choices=sorted(EXPORTS))
    parser.add_argument("--grades", default="grades.csv", help="default: grades.csv")
    parser.add_argument("--roster", default=ROSTER_FILE, help=f"default: {ROSTER_FILE}")
    parser.add_argument("--to", help="output file (default: grades-<lms>.csv)")
    args = parser.parse_args(argv)
    try:
        if not Path(args.grades).exists():
            raise ValueError(f"grades: no file {args.grades}: run make grade first")
        target = export(args.lms, args.grades, Roster.read(args.roster), args.to)
    except (RosterError, ValueError) as error:
        print(f"lms_export: {error}", file=sys.stderr)
        return 2
    print(f"{args.lms} import file written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
