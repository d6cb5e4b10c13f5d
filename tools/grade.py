"""Autograde every submission in submitted/, write feedback, export grades.csv.

    python -m tools.grade                       # what `make grade` runs
    python -m tools.grade --assignment ps2_perceptron --force

The steps, for a course directory laid out as nbgrader expects (INSTRUCTORS.md):

1. every problem set in `solutions/` is recorded in the gradebook (`generate_assignment` into a
   scratch folder, so the committed `assignments/` stay as they are);
2. every folder in `submitted/` becomes a student of the gradebook, so that everybody appears in
   the export, even a student whose submission cannot be graded;
3. a submission folder without the problem set's notebook scores 0 for that set;
4. the other submissions are autograded, a batch of students at a time, by a worker process that
   runs under resource limits (address space and CPU time) which the notebook kernels it starts
   inherit. A memory bomb then ends in a MemoryError inside the student's kernel, and an endless
   loop is cut by the cell timeout of nbgrader_config.py or, failing that, by the CPU limit.
   Students are graded one after another, and a submission that crashes its kernel or the worker
   loses its own points only: the next student is graded in a fresh worker;
5. feedback (HTML) is generated for each graded submission, and the gradebook is exported to
   `grades.csv` with one row per student and problem set (0 where nothing was submitted).

`grade()` is the one implementation behind `make grade` and the grading tests.
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from tools import lms_export
from tools.release import ROOT, nbgrader_env, problem_sets

__all__ = ["grade", "Limits", "students", "cell_scores"]

#: Outcomes of one submission, as reported in the summary.
GRADED, FAILED, NO_NOTEBOOK, NOT_SUBMITTED = "graded", "failed", "no notebook", "not submitted"


class Limits:
    """Resource limits for the grading worker and every kernel it starts.

    Parameters
    ----------
    memory_mb : int
        Largest address space of each process, in MiB (RLIMIT_AS). Beyond it an allocation fails
        with MemoryError instead of exhausting the machine.
    cpu_seconds : int
        CPU time of each process (RLIMIT_CPU); a kernel that ignores the cell timeout's interrupt
        is killed when it has used this much.
    wall_seconds : int
        Longest time one submission may take before its worker is killed.
    """

    def __init__(self, memory_mb=2048, cpu_seconds=120, wall_seconds=300):
        for name, value in (("memory_mb", memory_mb), ("cpu_seconds", cpu_seconds),
                            ("wall_seconds", wall_seconds)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, but got {value!r}")
        self.memory_mb, self.cpu_seconds, self.wall_seconds = memory_mb, cpu_seconds, wall_seconds

    def apply(self):
        """Set the limits on the current process (run in the worker before it starts)."""
        memory = self.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        # At the soft limit the process receives SIGXCPU (which ends it), at the hard one SIGKILL.
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + 5))

    def __repr__(self):
        return (f"Limits(memory_mb={self.memory_mb}, cpu_seconds={self.cpu_seconds}, "
                f"wall_seconds={self.wall_seconds})")


def students(course_dir):
    """Student ids: the folders of <course_dir>/submitted/."""
    submitted = Path(course_dir) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if p.is_dir() and not p.name.startswith("."))


def _config(course_dir):
    """The course's nbgrader configuration, rooted at course_dir."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(course_dir) / "nbgrader_config.py"
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config() \
        if path.exists() else Config()
    config.CourseDirectory.root = str(Path(course_dir).resolve())
    return config


def _gradebook(course_dir):
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=_config(course_dir))
    return Gradebook(coursedir.db_url, coursedir.course_id)


def cell_scores(course_dir, assignment, student):
    """Scores of the autograded cells of one submission: {grade_id: score}, or None."""
    from nbgrader.api import MissingEntry

    with _gradebook(course_dir) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        return {grade.name: float(grade.auto_score or 0.0)
                for notebook in submission.notebooks for grade in notebook.grades
                if grade.cell.cell_type == "code"}


def _record_zero(course_dir, assignment, student):
    """A submission folder without the notebook: every cell scores 0 and needs no grading."""
    with _gradebook(course_dir) as gb, warnings.catch_warnings():
        # nbgrader's own session handling warns here (SQLAlchemy autoflush); it is harmless
        warnings.simplefilter("ignore")
        submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.needs_manual_grade = False
        gb.db.commit()


def _record_problem_sets(course_dir, assignments):
    """Run generate_assignment into a scratch folder: the gradebook learns each set's cells."""
    from nbgrader.apps import NbGraderAPI

    for assignment in assignments:
        if not (Path(course_dir) / "solutions" / assignment).is_dir():
            raise ValueError(f"assignments: no problem set {assignment!r} in "
                             f"{Path(course_dir) / 'solutions'}")
    path = os.environ.get("PATH")
    with tempfile.TemporaryDirectory() as scratch:
        config = _config(course_dir)
        config.CourseDirectory.release_directory = scratch
        api = NbGraderAPI(config=config)
        os.environ["PATH"] = nbgrader_env()["PATH"]  # nbgrader runs `alembic` from there
        try:
            results = [(a, api.generate_assignment(a, force=True, create=True))
                       for a in assignments]
        finally:
            if path is None:
                del os.environ["PATH"]
            else:
                os.environ["PATH"] = path
        for assignment, result in results:
            if not result["success"]:
                raise RuntimeError(f"nbgrader generate_assignment {assignment} failed:\n"
                                   f"{result.get('error') or result.get('log')}")


def _expected_notebooks(course_dir, assignment):
    return sorted(p.name for p in (Path(course_dir) / "solutions" / assignment).glob("*.ipynb"))


# ---------------------------------------------------------------------------------------------
# The worker: one process, under the limits, grading a list of students one after another.
# It appends one JSON line per event to a results file (not stdout: student code could write
# there), so the parent knows who was being graded if the worker dies.


def _worker(course_dir, assignment, student_ids, results_path, force, feedback):
    from nbgrader.apps import NbGraderAPI

    os.chdir(course_dir)
    api = NbGraderAPI(config=_config(course_dir))

    def report(**event):
        with open(results_path, "a") as f:
            f.write(json.dumps(event) + "\n")

    for student in student_ids:
        report(event="start", student=student, time=time.time())
        start = time.perf_counter()
        result = api.autograde(assignment, student, force=force, create=True)
        if result["success"] and feedback:
            api.generate_feedback(assignment, student, force=True)
        report(event="done", student=student, success=bool(result["success"]),
               error=(result.get("error") or "")[-2000:], seconds=time.perf_counter() - start)


def _run_worker(course_dir, assignment, student_ids, limits, force, feedback, log_file):
    """Grade student_ids in one limited worker; return {student: done-event or None}."""
    fd, results_path = tempfile.mkstemp(prefix="nnlab-grade-", suffix=".jsonl")
    os.close(fd)
    env = nbgrader_env()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "tools.grade", "--worker", str(course_dir), assignment,
               results_path, "--force" if force else "--no-force",
               "--feedback" if feedback else "--no-feedback", *student_ids]
    events = []
    try:
        with open(log_file, "a") as log:
            process = subprocess.Popen(command, cwd=course_dir, env=env, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=log, preexec_fn=limits.apply,
                                       start_new_session=True)
            while process.poll() is None:
                time.sleep(0.2)
                events = _read_events(results_path)
                if events and events[-1]["event"] == "start" \
                        and time.time() - events[-1]["time"] > limits.wall_seconds:
                    os.killpg(process.pid, signal.SIGKILL)  # the worker and what it started
                    process.wait()
            events = _read_events(results_path)
    finally:
        os.unlink(results_path)
    outcome = {student: None for student in student_ids}
    for event in events:
        if event["event"] == "done":
            outcome[event["student"]] = event
    started = [e["student"] for e in events if e["event"] == "start"]
    return outcome, (started[-1] if started and outcome[started[-1]] is None else None)


def _read_events(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.endswith("\n")]


def _autograde(course_dir, assignment, student_ids, limits, force, feedback, batch_size, log_file):
    """Autograde a list of students; {student: done-event}, success False for crashes.

    A worker that dies (a kernel took it down, or a submission ran out of time) is replaced by a
    fresh one for the students it had not reached. The student it was grading is retried alone
    first, so that a worker dying for another reason cannot cost anyone their points.
    """
    def run(batch):
        return _run_worker(course_dir, assignment, batch, limits, force, feedback, log_file)

    def crashed(student, seconds):
        return {"event": "done", "student": student, "success": False, "seconds": seconds,
                "error": "the grading process died or was stopped (resource or time limit); "
                         "see .nbgrader.log"}

    results, queue = {}, list(student_ids)
    while queue:
        batch, queue = queue[:batch_size], queue[batch_size:]
        outcome, crashed_on = run(batch)
        results.update({s: event for s, event in outcome.items() if event is not None})
        if crashed_on is not None:
            event = run([crashed_on])[0][crashed_on] if len(batch) > 1 else None
            results[crashed_on] = event or crashed(crashed_on, float(limits.wall_seconds))
        elif not any(s in results for s in batch):  # the worker could not even start
            results.update({s: crashed(s, 0.0) for s in batch})
        queue = [s for s in batch if s not in results] + queue
    return results


def grade(course_dir=ROOT, assignments=None, limits=None, force=False, feedback=True,
          csv_path=None, batch_size=20, verbose=False, to_lms=None):
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
    to_lms : {"canvas", "moodle"}, optional
        Also write that LMS's grade import file (tools.lms_export; needs roster.csv).

    Returns
    -------
    dict with
        "students": every student id found in submitted/,
        "assignments": the problem sets graded,
        "results": {(student, set): {"status", "score", "max_score", "seconds", "error"}},
        "csv": the path of the exported CSV,
        "missing": [(student, set, reason)] without a graded submission (roster.csv's
        students included: tools.lms_export).
    """
    course_dir = Path(course_dir).resolve()
    limits = limits or Limits()
    assignments = list(assignments or problem_sets(course_dir))
    csv_path = Path(csv_path or course_dir / "grades.csv")
    log_file = course_dir / ".nbgrader.log"
    say = print if verbose else (lambda *args, **kwargs: None)

    # 1. the gradebook must know each problem set (and its hidden tests) before grading
    _record_problem_sets(course_dir, assignments)

    # 2. everybody in submitted/ is a student, whatever happens to their work
    class_list = students(course_dir)
    with _gradebook(course_dir) as gb:
        for student in class_list:
            gb.update_or_create_student(student)

    results = {}
    for assignment in assignments:
        expected = _expected_notebooks(course_dir, assignment)
        to_grade = []
        for student in class_list:
            folder = course_dir / "submitted" / student / assignment
            if not folder.is_dir():
                results[student, assignment] = {"status": NOT_SUBMITTED}
            elif not any((folder / name).exists() for name in expected):
                # 3. a submission without its notebook scores 0 for the set
                _record_zero(course_dir, assignment, student)
                results[student, assignment] = {"status": NO_NOTEBOOK}
            else:
                to_grade.append(student)
        say(f"{assignment}: grading {len(to_grade)} submission(s)")
        # 4. autograde under the limits, then 5. feedback
        for student, event in _autograde(course_dir, assignment, to_grade, limits, force,
                                         feedback, batch_size, log_file).items():
            results[student, assignment] = {
                "status": GRADED if event["success"] else FAILED,
                "seconds": event["seconds"], "error": event.get("error", "")}

    # scores from the gradebook, then the export
    from nbgrader.api import MissingEntry
    from nbgrader.plugins import CsvExportPlugin

    with _gradebook(course_dir) as gb:
        for (student, assignment), result in results.items():
            result["max_score"] = float(gb.find_assignment(assignment).max_score)
            try:
                result["score"] = float(gb.find_submission(assignment, student).score)
            except MissingEntry:
                result["score"] = 0.0
        roster = lms_export.enrol_roster(gb, course_dir)  # a row for each roster student
        exporter = CsvExportPlugin()
        exporter.to = str(csv_path)
        exporter.assignment = assignments
        exporter.export(gb)

    for (student, assignment), result in sorted(results.items()):
        note = f"  ({result['status']})" if result["status"] != GRADED else ""
        say(f"  {assignment:<28} {student:<20} {result['score']:5.1f} / "
            f"{result['max_score']:4.1f}{note}")
    missing = lms_export.finish_export(course_dir, csv_path, assignments, results, roster,
                                       to_lms, say)
    say(f"grades exported to {csv_path}")
    return {"students": class_list, "assignments": assignments, "results": results,
            "csv": csv_path, "missing": missing}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:  # internal: the limited grading process (see _run_worker)
        course_dir, assignment, results_path, force, feedback, *student_ids = argv[1:]
        _worker(course_dir, assignment, student_ids, results_path, force == "--force",
                feedback == "--feedback")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", default=str(ROOT), help="course root (default: repo)")
    parser.add_argument("--assignment", action="append",
                        help="problem set to grade (repeatable; default: all)")
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
    summary = grade(args.course_dir, assignments=args.assignment, force=args.force,
                    feedback=not args.no_feedback, csv_path=args.to, verbose=True,
                    to_lms=args.to_lms,
                    limits=Limits(args.memory_mb, args.cpu_seconds, args.wall_seconds))
    failed = [key for key, r in summary["results"].items() if r["status"] == FAILED]
    if failed:
        print(f"{len(failed)} submission(s) could not be graded (they score 0; details in "
              ".nbgrader.log): " + ", ".join(f"{s}/{a}" for s, a in sorted(failed)))
    lms_export.print_missing(summary["missing"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
