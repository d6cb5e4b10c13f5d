"""Autograde every submission in submitted/, write feedback, export grades.csv.

    python -m tools.grade                       # what `make grade` runs
    python -m tools.grade --jobs 4              # four workers (default: one per core)
    python -m tools.grade --assignment ps2_perceptron --student ada --force
    python -m tools.grade --assignment ps1_neurons_and_gates --to-lms canvas   # mid-term export

The steps, for a course directory laid out as nbgrader expects (INSTRUCTORS.md):

1. every problem set in `solutions/` is recorded in the gradebook (`generate_assignment` into a
   scratch folder, so the committed `assignments/` stay as they are);
2. every folder in `submitted/` becomes a student of the gradebook, so that everybody appears in
   the export, even a student whose submission cannot be graded;
3. a submission folder without the problem set's notebook scores 0 for that set;
4. the other submissions are autograded by worker processes under resource limits
   (`tools.grading.worker`), `jobs` of them at once, each kernel in a jail
   (`tools.grading.jail`: no network, nothing else of the machine visible, nothing outlives
   it; `--no-jail` grades without, and every line says UNJAILED). Inside each kernel an
   integrity guard (`tools.grading.guard`) keeps the grading references out of the student's
   reach and signs what it saw; test cells that ran on tampered ground score 0 and the
   submission is flagged (`tools.grading.integrity`);
5. feedback (HTML) is generated for each graded submission, without the hidden tests
   (`tools.grading.feedback`), and the gradebook is exported to `grades.csv`
   (`tools.grades_table`, through the csv module: a name "Oneal, Alice" keeps its columns) with
   one row per student and problem set (0 where nothing was submitted), `flags`, `status` and
   `waiting`: a written answer that waits for a grader is named in grades.csv, in the summary
   and at the top of the student's feedback, and the LMS file is refused until it is graded.

Without --assignment, only the sets somebody handed in (a folder submitted/<student>/<set>/) are
graded and exported: a mid-term run leaves the later sets out instead of writing zeros. A
submission graded before and not collected again is not graded again (nbgrader skips it; the
summary says so) unless --force.

`grade()` is the one implementation behind `make grade` and the grading tests.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from tools import grades_table, lms_export
from tools.grading import integrity
from tools.grading.feedback import mark_waiting
from tools.grading.gradebook import (
    cell_scores,
    expected_notebooks,
    gradebook,
    record_problem_sets,
    record_zero,
    students,
)
from tools.grading.jail import JailUnavailable, mark_unjailed, unjailed
from tools.grading.jail import check as check_jail
from tools.grading.limits import Limits
from tools.grading.worker import autograde
from tools.release import ROOT, problem_sets

__all__ = ["grade", "export_csv", "collected_sets", "up_to_date", "Limits",
           "students", "cell_scores"]

#: Outcomes of one submission, as reported in the summary.
GRADED, FAILED, NO_NOTEBOOK, NOT_SUBMITTED = "graded", "failed", "no notebook", "not submitted"
#: Graded in an earlier run and not collected again since: nbgrader leaves it as it was.
UNCHANGED = "unchanged since the last run"


def default_jobs():
    """Worker processes by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def export_csv(gb, assignments, csv_path, flags, statuses=None):
    """Write grades.csv: one row per student and set (tools.grades_table), plus `flags`.

    `flags` maps (student, set) to the integrity reasons found while grading ('' when none);
    `statuses` what this run saw beyond the gradebook ("no notebook", "failed").
    """
    return grades_table.write_grades_csv(gb, assignments, csv_path, flags, statuses)


def collected_sets(course_dir, sets, class_list):
    """The sets of `sets` that somebody handed in: a folder submitted/<student>/<set>/."""
    submitted = Path(course_dir) / "submitted"
    return [a for a in sets if any((submitted / s / a).is_dir() for s in class_list)]


def _timestamp(folder):
    from nbgrader.utils import parse_utc

    path = Path(folder) / "timestamp.txt"
    try:
        return parse_utc(path.read_text().strip()) if path.exists() else None
    except ValueError:
        return None


def up_to_date(course_dir, assignment, student, expected):
    """Whether nbgrader would skip this submission without --force (graded before, and not
    collected again since): the same test as nbgrader's converters (init_destination)."""
    source = Path(course_dir) / "submitted" / student / assignment
    dest = Path(course_dir) / "autograded" / student / assignment
    if not dest.is_dir():
        return False
    if any((source / nb).exists() and not (dest / nb).exists() for nb in expected):
        return False
    new, old = _timestamp(source), _timestamp(dest)
    return not (new is not None and old is not None and new > old)


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
          csv_path=None, batch_size=20, verbose=False, jobs=1, student=None, to_lms=None,
          allow_ungraded=False, jail=True):
    """Autograde everything in <course_dir>/submitted/, generate feedback and export a CSV.

    Parameters
    ----------
    course_dir : path
        Course root with nbgrader_config.py, solutions/ and submitted/<student>/<set>/.
    assignments : list of str, optional
        Problem sets to grade and export (default: the sets of solutions/ that somebody
        handed in, i.e. with a folder submitted/<student>/<set>/; the others are left out).
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
        Also write that LMS's grade import file (tools.lms_export; needs roster.csv), for the
        graded sets that somebody handed in.
    allow_ungraded : bool
        Write the LMS file even while written answers wait for a grader (default: refuse).
    jail : bool
        Run every kernel in a jail (tools/grading/jail.py; the default). False grades
        with the grader's rights, and every summary line and grades.csv say UNJAILED.

    Returns
    -------
    dict with
        "students": every student id found in submitted/,
        "assignments": the problem sets graded,
        "results": {(student, set): {"status", "score", "max_score", "seconds", "error",
        "flags"}},
        "csv": the path of the exported CSV,
        "missing": [(student, set, reason)] without a graded submission (roster.csv's
        students included: tools.lms_export),
        "waiting": {(student, set): [(question, points)]} still waiting for a grader,
        "lms_file": the LMS import file written (None when `to_lms` was not asked or refused).
    """
    course_dir = Path(course_dir).resolve()
    limits = limits or Limits()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, but got {jobs!r}")
    csv_path = Path(csv_path or course_dir / "grades.csv")
    log_file = course_dir / ".nbgrader.log"
    say = print if verbose else (lambda *args, **kwargs: None)
    if jail:
        check_jail()  # no jail, no grading: JailUnavailable says how to get one
    else:
        say = unjailed(say)

    # 2. everybody in submitted/ is a student, whatever happens to their work
    class_list = students(course_dir)
    if student is not None and student not in class_list:
        raise ValueError(f"student: no folder {student!r} in {course_dir / 'submitted'} "
                         f"(found {len(class_list)} students)")
    if assignments:
        assignments = list(assignments)
    else:  # the sets somebody handed in: a mid-term run grades and exports nothing else
        every = problem_sets(course_dir)
        assignments = collected_sets(course_dir, every, class_list)
        if not assignments:
            raise ValueError(f"nothing to grade: no submitted/<student>/<set>/ folder for any "
                             f"of the sets {every} (collect the submissions first)")
        later = [a for a in every if a not in assignments]
        if later:
            say(f"not collected yet, left out: {', '.join(later)}")

    # 1. the gradebook must know each problem set (and its hidden tests) before grading
    record_problem_sets(course_dir, assignments)
    with gradebook(course_dir) as gb:
        for name in class_list:
            gb.update_or_create_student(name)

    results = {}
    for assignment in assignments:
        expected = expected_notebooks(course_dir, assignment)
        to_grade, unchanged = [], set()
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
                if not force and up_to_date(course_dir, assignment, name, expected):
                    unchanged.add(name)
        if not to_grade:
            say(f"{assignment}: nothing to grade")
        elif len(unchanged) == len(to_grade):
            say(f"{assignment}: {len(to_grade)} submission(s) graded before and not collected "
                "again: not graded again" + (", feedback rewritten" if feedback else "") +
                " (--force grades them again)")
        else:
            say(f"{assignment}: grading {len(to_grade) - len(unchanged)} submission(s) with "
                f"{min(jobs, max(1, len(to_grade)))} worker(s)" +
                (f"; {len(unchanged)} graded before are left as they are" if unchanged else ""))
        # 4. autograde under the limits, then 5. feedback
        progress = _Progress(assignment, say) if len(unchanged) < len(to_grade) else None
        done = autograde(course_dir, assignment, to_grade, limits, force, feedback, log_file,
                         batch_size=batch_size, jobs=jobs, progress=progress,
                         jailed=jail)
        for name, event in done.items():
            status = FAILED if not event["success"] else UNCHANGED if name in unchanged else GRADED
            results[name, assignment] = {
                "status": status, "flags": event.get("flags", []),
                "seconds": event["seconds"], "error": event.get("error", "")}

    # scores from the gradebook, integrity flags from the autograded folders, then the export
    from nbgrader.api import MissingEntry

    flags, waiting = {}, {}
    with gradebook(course_dir) as gb:
        for (name, assignment), result in results.items():
            result["max_score"] = float(gb.find_assignment(assignment).max_score)
            try:
                result["score"] = float(gb.find_submission(assignment, name).score)
            except MissingEntry:
                result["score"] = 0.0
            result["waiting"] = grades_table.waiting_for_grader(gb, assignment, name)
            if result["waiting"]:
                waiting[name, assignment] = result["waiting"]
        for name in class_list:
            for assignment in assignments:
                result = results.get((name, assignment), {})
                found = result.get("flags") or integrity.load_flags(course_dir, assignment, name)
                if found:
                    flags[name, assignment] = found
                if result:
                    result["flags"] = found
        roster = lms_export.enrol_roster(gb, course_dir)  # a row for each roster student
        statuses = {key: r["status"] for key, r in results.items()
                    if r["status"] in (NO_NOTEBOOK, FAILED)}
        export_csv(gb, assignments, csv_path, flags, statuses)
        if not jail:
            mark_unjailed(csv_path)
    if feedback:
        for (name, assignment), questions in waiting.items():
            mark_waiting(course_dir, assignment, name, questions)

    _summarise(assignments, results, say)
    if flags:
        say(f"{len(flags)} submission(s) flagged for tampering with the grading (a test that "
            "ran while it was in effect scores 0; check them by hand):")
        for (name, assignment), reasons in sorted(flags.items()):
            say(f"  FLAG {assignment} {name}: {'; '.join(reasons)}")
    if waiting:
        say(f"{len(waiting)} submission(s) waiting for manual grading (their score is not final;"
            " grade them in the formgrader, then run make grade again):")
        for (name, assignment), questions in sorted(waiting.items()):
            say(f"  WAITING {assignment} {name}: "
                + ", ".join(f"{q} ({p:g} points)" for q, p in questions))
    missing = lms_export.finish_export(course_dir, csv_path, assignments, results, roster,
                                       to_lms, say, allow_ungraded=allow_ungraded)
    say(f"grades exported to {csv_path}")
    lms_file = csv_path.with_name(f"grades-{to_lms}.csv") if to_lms else None
    return {"students": class_list, "assignments": assignments, "results": results,
            "csv": csv_path, "missing": missing, "waiting": waiting,
            "lms_file": lms_file if lms_file is not None and lms_file.exists() else None}


def _summarise(assignments, results, say):
    """One line per set (how many of each outcome, the mean of the graded), then only the
    submissions that need a look: not graded, or without a notebook."""
    for assignment in assignments:
        mine = {s: r for (s, a), r in results.items() if a == assignment}
        counts = {}
        for r in mine.values():
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        scored = [r["score"] for r in mine.values() if r["status"] in (GRADED, UNCHANGED)]
        top = next(iter(mine.values()))["max_score"]
        mean = f", mean {sum(scored) / len(scored):.1f} / {top:g}" if scored else ""
        parts = [f"{counts[k]} {k}" for k in (GRADED, UNCHANGED, FAILED, NO_NOTEBOOK,
                                               NOT_SUBMITTED) if counts.get(k)]
        say(f"{assignment}: {', '.join(parts)}{mean}")
        for name, r in sorted(mine.items()):
            if r["status"] in (FAILED, NO_NOTEBOOK):
                say(f"  {name:<20} {r['status']}: scores {r['score']:g}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.grade",
                                     description=__doc__.splitlines()[0])
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
    parser.add_argument("--allow-ungraded", action="store_true",
                        help="write the LMS file even while written answers wait for a grader")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="address-space limit per process, MiB (default 2048)")
    parser.add_argument("--cpu-seconds", type=int, default=120,
                        help="CPU-time limit per process, seconds (default 120)")
    parser.add_argument("--wall-seconds", type=int, default=300,
                        help="longest time one submission may take, seconds (default 300)")
    parser.add_argument("--no-jail", action="store_true",
                        help="grade without the jail, only if every submission is "
                             "trusted (student code runs with your rights; every "
                             "line says UNJAILED)")
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
                        jail=not args.no_jail,
                        to_lms=args.to_lms, allow_ungraded=args.allow_ungraded)
    except JailUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = [key for key, r in summary["results"].items() if r["status"] == FAILED]
    if failed:
        print(f"{len(failed)} submission(s) could not be graded (they score 0; details in "
              ".nbgrader.log): " + ", ".join(f"{s}/{a}" for s, a in sorted(failed)))
    lms_export.print_missing(summary["missing"])
    if args.to_lms and summary["lms_file"] is None:
        print(f"Exit status 1: no {args.to_lms} import file was written (see the warning "
              "above).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
