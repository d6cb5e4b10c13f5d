"""From the gradebook to the LMS: every roster student in grades.csv, and the LMS import files.

`make grade` calls two functions of this module (tools/grade.py, at its export):

- `enrol_roster(gb, course_dir)` adds every student of roster.csv to the gradebook before the
  export, so that grades.csv has a row (0) for a student who submitted nothing at all;
- `finish_export(...)` adds a `reason` column to grades.csv (why a row scores 0 without
  grading), lists the roster students with no graded submission, and writes the LMS import file
  asked for with `--to-lms`, for the graded sets only, leaving out a set nobody handed in (an
  LMS would read 0 for everybody), and refusing while written answers wait for a grader
  (`--allow-ungraded` writes the marks as they are):

      python -m tools.grade --to-lms canvas      # grades-canvas.csv next to grades.csv
      python -m tools.lms_export moodle           # the same from an existing grades.csv
      python -m tools.lms_export canvas --assignment ps1_neurons_and_gates   # one set

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
from tools.grades_table import NOT_SUBMITTED, WAITING
from tools.roster import ROSTER_FILE, Roster, RosterError

__all__ = ["enrol_roster", "finish_export", "missing_students", "add_reasons", "read_grades",
           "write_canvas", "write_moodle", "exportable", "Ungraded", "CANVAS_COLUMNS",
           "MOODLE_COLUMNS", "EXPORTS"]

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["ID number", "Email address", "Full name"]
GRADED = ("graded", "unchanged since the last run")  # tools.grade's statuses of a graded one
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
        gb.update_or_create_student(s.student_id, first_name=s.first_name,
                                    last_name=s.last_name, email=s.email)
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
            elif result["status"] not in GRADED:
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
    """{(student_id, assignment): score}, {assignment: max_score} and
    {(student_id, assignment): row} from grades.csv."""
    scores, maxima, rows = {}, {}, {}
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            scores[row["student_id"], row["assignment"]] = float(row["score"] or 0)
            maxima[row["assignment"]] = float(row["max_score"] or 0)
            rows[row["student_id"], row["assignment"]] = row
    return scores, maxima, rows


class Ungraded(ValueError):
    """Written answers still wait for a grader: the LMS file would carry marks that are not
    final."""


def exportable(rows, assignments, allow_ungraded=False):
    """The sets of `assignments` fit for an LMS file, and a note on each one left out.

    A set that nobody handed in is left out (an LMS would read 0 for everybody); a set with
    answers waiting for a grader raises Ungraded unless `allow_ungraded`.
    """
    kept, notes, waiting = [], [], []
    for a in assignments:
        mine = [r for (_, set_), r in rows.items() if set_ == a]
        if not any(r.get("status", "graded") != NOT_SUBMITTED for r in mine):
            notes.append(f"{a} left out: nobody handed it in")
            continue
        kept.append(a)
        waiting += [f"{r['student_id']} {a} ({r['waiting'].split(': ', 1)[-1]})"
                    for r in mine if r.get("status") == WAITING]
    if waiting and not allow_ungraded:
        raise Ungraded(f"{len(waiting)} submission(s) are {WAITING}: " + "; ".join(waiting) +
                       ". Grade them in the formgrader and run make grade again, or export "
                       "the marks as they are with --allow-ungraded (ALLOW_UNGRADED=1)")
    return kept, notes


def _number(x):
    return f"{x:g}"


def _cell(scores, student, assignment):
    score = scores.get((student, assignment))
    return "" if score is None else _number(score)


def write_canvas(path, scores, maxima, roster, assignments):
    """Canvas's gradebook import CSV: one row per roster student, one column per set.

    A student with no row in grades.csv for a set gets an empty cell (Canvas leaves the grade
    as it is), never a 0.
    """
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(CANVAS_COLUMNS + list(assignments))
    out.writerow(["Points Possible", "", "", "", ""] + [_number(maxima[a]) for a in assignments])
    for s in roster:
        sortable = f"{s.last_name}, {s.first_name}" if s.first_name else s.last_name
        out.writerow([sortable, s.lms_id, s.sis_id or s.student_id, s.login, s.section] +
                     [_cell(scores, s.student_id, a) for a in assignments])
    write_atomic(path, buffer.getvalue().encode())


def write_moodle(path, scores, maxima, roster, assignments):
    """A CSV for Moodle's grade import: ID number, e-mail, name, one column per set."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(MOODLE_COLUMNS + list(assignments))
    for s in roster:
        out.writerow([s.sis_id or s.student_id, s.email, s.name] +
                     [_cell(scores, s.student_id, a) for a in assignments])
    write_atomic(path, buffer.getvalue().encode())


EXPORTS = {"canvas": write_canvas, "moodle": write_moodle}


def export(lms, csv_path, roster, to=None, assignments=None, allow_ungraded=False, say=None):
    """Write grades-<lms>.csv (or `to`) from grades.csv; return its path.

    Only `assignments` (default: every set of grades.csv) that somebody handed in are
    written; Ungraded is raised while written answers wait for a grader, unless
    `allow_ungraded`.
    """
    if lms not in EXPORTS:
        raise ValueError(f"to_lms: expected one of {', '.join(EXPORTS)}, but got {lms!r}")
    if roster is None:
        raise ValueError(f"to_lms: the {lms} import matches students by their LMS ids: write "
                         f"{ROSTER_FILE} first (see INSTRUCTORS.md)")
    scores, maxima, rows = read_grades(csv_path)
    unknown = [a for a in assignments or [] if a not in maxima]
    if unknown:
        raise ValueError(f"sets: {', '.join(unknown)} not in {csv_path} (it has "
                         f"{', '.join(sorted(maxima)) or 'no set'}): run make grade SET=... first")
    assignments, notes = exportable(rows, list(assignments or sorted(maxima)), allow_ungraded)
    for note in notes:
        (say or print)(f"{lms} import: {note}")
    if not assignments:
        raise ValueError(f"nothing to export: nobody handed in {', '.join(notes) or 'any set'}")
    target = Path(to or Path(csv_path).with_name(f"grades-{lms}.csv"))
    EXPORTS[lms](target, scores, maxima, roster, assignments)
    return target


def finish_export(course_dir, csv_path, assignments, results, roster, to_lms=None, say=print,
                  allow_ungraded=False):
    """After the export of grades.csv: reasons in it, the LMS file; return missing_students.

    An LMS file that was not written (no roster, answers waiting for a grader...) is said on
    stderr whatever `say` is, and an older one of that name is removed, so that nobody imports
    stale marks by mistake.
    """
    missing = missing_students(course_dir, assignments, results, roster)
    add_reasons(csv_path, missing)
    if to_lms:
        try:
            target = export(to_lms, csv_path, roster, None, assignments, allow_ungraded, say)
            say(f"{to_lms} import file written to {target}")
        except ValueError as error:
            stale = Path(csv_path).with_name(f"grades-{to_lms}.csv")
            if stale.exists():
                stale.unlink()
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
    parser = argparse.ArgumentParser(prog="python -m tools.lms_export",
                                     description="Write an LMS grade import file from "
                                                 "grades.csv and roster.csv.")
    parser.add_argument("lms", choices=sorted(EXPORTS))
    parser.add_argument("--grades", default="grades.csv", help="default: grades.csv")
    parser.add_argument("--roster", default=ROSTER_FILE, help=f"default: {ROSTER_FILE}")
    parser.add_argument("--to", help="output file (default: grades-<lms>.csv)")
    parser.add_argument("--assignment", action="append",
                        help="problem set to export (repeatable; default: every set of grades.csv "
                             "that somebody handed in)")
    parser.add_argument("--allow-ungraded", action="store_true",
                        help="export even while written answers wait for a grader")
    args = parser.parse_args(argv)
    try:
        if not Path(args.grades).exists():
            raise ValueError(f"grades: no file {args.grades}: run make grade first")
        target = export(args.lms, args.grades, Roster.read(args.roster), args.to,
                        args.assignment, args.allow_ungraded)
    except (RosterError, ValueError) as error:
        print(f"lms_export: {error}", file=sys.stderr)
        return 2
    print(f"{args.lms} import file written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
