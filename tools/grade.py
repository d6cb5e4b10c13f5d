"""Autograde every submission in submitted/, write feedback, export grades.csv.

    python -m tools.grade                       # what `make grade` runs
    python -m tools.grade --jobs 4              # four workers (default: one per core)
    python -m tools.grade --assignment ps2_perceptron --student ada --force

The steps, for a course directory laid out as nbgrader expects (INSTRUCTORS.md):

1. every problem set in `solutions/` is recorded in the gradebook (`generate_assignment` into a
   scratch folder, so the committed `assignments/` stay as they are);
2. every folder in `submitted/` becomes a student of the gradebook, so that everybody appears in
   the export, even a student whose submission cannot be graded;
3. a submission folder without the problem set's notebook scores 0 for that set;
4. the other submissions are autograded by worker processes under resource limits
   (`tools.grading.worker`), `jobs` of them at once. Inside each kernel an integrity guard
   (`tools.grading.guard`) keeps the grading references out of the student's reach and signs
   what it saw; test cells that ran on tampered ground score 0 and the submission is flagged
   (`tools.grading.integrity`);
5. feedback (HTML) is generated for each graded submission, without the hidden tests
   (`tools.grading.feedback`), and the gradebook is exported to `grades.csv` with one row per
   student and problem set (0 where nothing was submitted) and a `flags` column.

`grade()` is the one implementation behind `make grade` and the grading tests.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

from tools import lms_export
from tools.grading import integrity
from tools.grading.gradebook import (
    cell_scores,
    expected_notebooks,
    gradebook,
    record_problem_sets,
    record_zero,
    students,
)
from tools.grading.limits import Limits
from tools.grading.worker import autograde
from tools.release import ROOT, problem_sets

__all__ = ["grade", "export_csv", "Limits", "students", "cell_scores"]

#: Outcomes of one submission, as reported in the summary.
GRADED, FAILED, NO_NOTEBOOK, NOT_SUBMITTED = "graded", "failed", "no notebook", "not submitted"


def default_jobs():
    """Worker processes by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def export_csv(gb, assignments, csv_path, flags):
    """Write grades.csv: nbgrader's columns, one row per student and set, plus `flags`.

    `flags` maps (student, set) to the integrity reasons found while grading ('' when none).
    """
    from nbgrader.plugins import CsvExportPlugin

    exporter = CsvExportPlugin()
    exporter.to = str(csv_path)
    exporter.assignment = assignments
    exporter.export(gb)
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0]) + ["flags"] if rows else ["flags"]
    for row in rows:
        row["flags"] = "; ".join(flags.get((row["student_id"], row["assignment"]), []))
    tmp = Path(f"{csv_path}.tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(csv_path)  # never a half-written grades.csv


class _Progress:
    """`ps3: 7/12 graded, ETA 0:25` on one line, rewritten as students finish."""

    def __init__(self, assignment, say):
        self.assignment, self.say, self.start = assignment, say, time.perf_counter()

    def __call__(self, done, total, event):
        elapsed = time.perf_counter() - self.start
        left = round(elapsed / done * (total - done))
        eta = f"ETA {left // 60}:{left % 60:02d}" if done < total else \
            f"done in {round(elapsed)} s"
        self.say(f"\r  {self.assignment}: {done}/{total} graded, {eta}   ",
                 end="\n" if done == total else "", flush=True)


def grade(course_dir=ROOT, assignments=None, limits=None, force=False, feedback=True,
          csv_path=None, batch_size=20, verbose=False, jobs=1, student=None, to_lms=None):
    """Autograde everything in <course_dir>/submitted/, generate feedback and export a CSV.

    Parameters
    ----------
    course_dir : path
        Course root with nbgrader_config.py, solutions/ and submitted/<student>/<set>/.
    assignments : list of str, optional
        Problem sets to grade (default: every folder of solutions/).
    limits : Limits, optional
        Resource limits of the grading processes and kernels (default: Limits()).
    force : bool
        Grade submissions again even if they were autograded before.
    feedback : bool
        Generate HTML feedback in feedback/ for each graded submission.
    csv_path : path, optional
        Where to export the grades (default: <course_dir>/grades.csv).
    batch_size : int
        Students graded by one worker process before a fresh one starts.
    jobs : int
        Worker processes grading at once (each under `limits`).
    student : str, optional
        Grade only this student (the export still lists everybody).
    to_lms : {"canvas", "moodle"}, optional
        Also write that LMS's grade import file (tools.lms_export; needs roster.csv).

    Returns
    -------
    dict with
        "students": every student id found in submitted/,
        "assignments": the problem sets graded,
        "results": {(student, set): {"status", "score", "max_score", "seconds", "error",
        "flags"}},
        "csv": the path of the exported CSV,
        "missing": [(student, set, reason)] without a graded submission (roster.csv's
        students included: tools.lms_export).
    """
    course_dir = Path(course_dir).resolve()
    limits = limits or Limits()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, but got {jobs!r}")
    assignments = list(assignments or problem_sets(course_dir))
    csv_path = Path(csv_path or course_dir / "grades.csv")
    log_file = course_dir / ".nbgrader.log"
    say = print if verbose else (lambda *args, **kwargs: None)

    # 1. the gradebook must know each problem set (and its hidden tests) before grading
    record_problem_sets(course_dir, assignments)

    # 2. everybody in submitted/ is a student, whatever happens to their work
    class_list = students(course_dir)
    if student is not None and student not in class_list:
        raise ValueError(f"student: no folder {student!r} in {course_dir / 'submitted'} "
                         f"(found {len(class_list)} students)")
    with gradebook(course_dir) as gb:
        for name in class_list:
            gb.update_or_create_student(name)

    results = {}
    for assignment in assignments:
        expected = expected_notebooks(course_dir, assignment)
        to_grade = []
        for name in class_list if student is None else [student]:
            folder = course_dir / "submitted" / name / assignment
            if not folder.is_dir():
                results[name, assignment] = {"status": NOT_SUBMITTED}
            elif not any((folder / notebook).exists() for notebook in expected):
                # 3. a submission without its notebook scores 0 for the set
                record_zero(course_dir, assignment, name)
                results[name, assignment] = {"status": NO_NOTEBOOK}
            else:
                to_grade.append(name)
        say(f"{assignment}: grading {len(to_grade)} submission(s) with "
            f"{min(jobs, max(1, len(to_grade)))} worker(s)")
        # 4. autograde under the limits, then 5. feedback
        done = autograde(course_dir, assignment, to_grade, limits, force, feedback, log_file,
                         batch_size=batch_size, jobs=jobs, progress=_Progress(assignment, say))
        for name, event in done.items():
            results[name, assignment] = {
                "status": GRADED if event["success"] else FAILED, "flags": event.get("flags", []),
                "seconds": event["seconds"], "error": event.get("error", "")}

    # scores from the gradebook, integrity flags from the autograded folders, then the export
    from nbgrader.api import MissingEntry

    flags = {}
    with gradebook(course_dir) as gb:
        for (name, assignment), result in results.items():
            result["max_score"] = float(gb.find_assignment(assignment).max_score)
            try:
                result["score"] = float(gb.find_submission(assignment, name).score)
            except MissingEntry:
                result["score"] = 0.0
        for name in class_list:
            for assignment in assignments:
                result = results.get((name, assignment), {})
                found = result.get("flags") or integrity.load_flags(course_dir, assignment, name)
                if found:
                    flags[name, assignment] = found
                if result:
                    result["flags"] = found
        roster = lms_export.enrol_roster(gb, course_dir)  # a row for each roster student
        export_csv(gb, assignments, csv_path, flags)

    for (name, assignment), result in sorted(results.items()):
        note = f"  ({result['status']})" if result["status"] != GRADED else ""
        say(f"  {assignment:<28} {name:<20} {result['score']:5.1f} / "
            f"{result['max_score']:4.1f}{note}")
    if flags:
        say(f"{len(flags)} submission(s) flagged for tampering with the grading (a test that "
            "ran while it was in effect scores 0; check them by hand):")
        for (name, assignment), reasons in sorted(flags.items()):
            say(f"  FLAG {assignment} {name}: {'; '.join(reasons)}")
    missing = lms_export.finish_export(course_dir, csv_path, assignments, results, roster,
                                       to_lms, say)
    say(f"grades exported to {csv_path}")
    return {"students": class_list, "assignments": assignments, "results": results,
            "csv": csv_path, "missing": missing}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", default=str(ROOT), help="course root (default: repo)")
    parser.add_argument("--assignment", action="append",
                        help="problem set to grade (repeatable; default: all)")
    parser.add_argument("--student", help="grade only this student (e.g. with --force to "
                                          "regrade one submission)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help=f"worker processes at once (default: cores, {default_jobs()})")
    parser.add_argument("--force", action="store_true",
                        help="grade again submissions that were autograded before")
    parser.add_argument("--no-feedback", action="store_true", help="skip the HTML feedback")
    parser.add_argument("--to", help="CSV file for the grades (default: grades.csv)")
    parser.add_argument("--to-lms", choices=sorted(lms_export.EXPORTS),
                        help="also write that LMS's grade import file (needs roster.csv)")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="address-space limit per process, MiB (default 2048)")
    parser.add_argument("--cpu-seconds", type=int, default=120,
                        help="CPU-time limit per process, seconds (default 120)")
    parser.add_argument("--wall-seconds", type=int, default=300,
                        help="longest time one submission may take, seconds (default 300)")
    args = parser.parse_args(argv)
    if not (Path(args.course_dir) / "submitted").is_dir():
        print(f"Nothing to grade: {Path(args.course_dir) / 'submitted'} does not exist. "
              "Collect the submissions first (see INSTRUCTORS.md).", file=sys.stderr)
        return 1
    try:
        limits = Limits(args.memory_mb, args.cpu_seconds, args.wall_seconds)
        summary = grade(args.course_dir, assignments=args.assignment, force=args.force,
                        feedback=not args.no_feedback, csv_path=args.to, verbose=True,
                        limits=limits, jobs=args.jobs, student=args.student,
                        to_lms=args.to_lms)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = [key for key, r in summary["results"].items() if r["status"] == FAILED]
    if failed:
        print(f"{len(failed)} submission(s) could not be graded (they score 0; details in "
              ".nbgrader.log): " + ", ".join(f"{s}/{a}" for s, a in sorted(failed)))
    lms_export.print_missing(summary["missing"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
