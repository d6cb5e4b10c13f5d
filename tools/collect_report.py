"""What `make collect` tells: the listing at the end, and collect/<set>/report.csv.

report.csv has one row per roster student (student_id, status, reason, late, file);
`make grade` reads its reasons (`collect_reasons`) for the students it could not grade.
"""

import csv
import io
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from tools.roster import ROSTER_FILE

__all__ = ["report_path", "write_report", "collect_reasons", "print_report"]

COLLECTED, UNUSABLE, NOT_SUBMITTED = "collected", "no usable submission", "not submitted"


def write_atomic(path, data):
    """Write bytes to path through a temporary file in the same folder, then rename it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def report_path(course_dir, assignment):
    return Path(course_dir) / "collect" / assignment / "report.csv"


def write_report(course_dir, report):
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["student_id", "status", "reason", "late", "file"])
    for o in report.outcomes.values():
        out.writerow([o.student, o.status, o.reason, "yes" if o.late else "", o.file])
    write_atomic(report_path(course_dir, report.assignment), buffer.getvalue().encode())


def collect_reasons(course_dir, assignment):
    """{student_id: reason} of the last collect of `assignment` for students with no notebook."""
    path = report_path(course_dir, assignment)
    if not path.exists():
        return {}
    with open(path, newline="") as f:
        return {row["student_id"]: row["reason"] for row in csv.DictReader(f)
                if row["status"] != COLLECTED}


def print_report(report, out=None):
    say = lambda *a: print(*a, file=out or sys.stdout)  # noqa: E731
    counts = defaultdict(int)
    for o in report.outcomes.values():
        counts[o.status] += 1
    late = sum(o.late for o in report.outcomes.values())
    say(f"{report.assignment} ({report.lms} download): {counts[COLLECTED]} collected "
        f"({late} late), {counts[UNUSABLE]} with no usable notebook, "
        f"{counts[NOT_SUBMITTED]} who submitted nothing")
    if report.roster is None:
        say("No roster: students missing from the download cannot be listed "
            f"(write {ROSTER_FILE}, see INSTRUCTORS.md).")
    for item in report.notes:
        say(f"  note: {item.origin}: {item.reason}")
    missing = [o for o in report.outcomes.values() if o.status != COLLECTED]
    if missing:
        say("Roster students without a collected notebook (they score 0 for this set):")
        for o in missing:
            say(f"  {o.student:<20} {o.status}: {o.reason}")
    if report.problems:
        say(f"{len(report.problems)} file(s) not used:")
        for item in report.problems:
            who = f" [{item.student}]" if item.student else ""
            say(f"  SKIPPED{who} {item.origin}: {item.reason}")
