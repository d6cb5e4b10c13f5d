"""Collect an LMS download into submitted/<student>/<set>/<set>.ipynb, losing nobody.

    python -m tools.collect ps1_neurons_and_gates downloads/ps1.zip       # `make collect`
    python -m tools.collect ps1_neurons_and_gates downloads/ps1/ --lms moodle --roster roster.csv

1. Every file of the download (a zip, zips inside it, or a folder) is read without extracting it
   (tools.archive: unsafe names, links and zip bombs are refused and listed).
2. The LMS's naming (tools.lms_names; guessed when --lms is not given) says who submitted it;
   the roster (tools.roster) turns that into a student_id. A student who is not on the roster is
   listed, never added.
3. For each student, the latest attempt's notebook is chosen: the uploads of one file name are
   ordered by the LMS's number (Canvas's submission number) and then the copy suffix ("-1",
   " (1)"), the latest is graded and the others are listed by name and number. A notebook
   that is not valid JSON, a PDF instead of a notebook, two different notebooks that cannot be
   told apart: each is listed with its reason and its file is kept in
   collect/<set>/set-aside/<student>/ with a .why.txt beside it. Collecting again removes what
   an earlier collect set aside for the students of the new download (their files are judged
   again); a notebook that a collect replaced ("replaced-...") is kept.
4. The chosen notebook is written (to a temporary file, then renamed) to
   submitted/<student>/<set>/<set>.ipynb with timestamp.txt (the LMS's submission time if the
   file name has it, else the file's time in the archive).
5. collect/<set>/report.csv has one row per roster student (collected, or why not), and every
   problem is listed at the end. The exit status is 1 if anything was listed as a problem, unless
   --allow-skips is given.
"""

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tools.archive import Limits, walk
from tools.collect_report import (
    COLLECTED,
    NOT_SUBMITTED,
    UNUSABLE,
    collect_reasons,
    print_report,
    report_path,
    write_atomic,
    write_report,
)
from tools.lms_names import LMS_NAMES, copy_number, detect, is_noise, parse, student_filename
from tools.release import ROOT
from tools.roster import ROSTER_FILE, Roster, RosterError, name_key, valid_id

__all__ = ["collect", "Report", "Outcome", "Item", "write_atomic", "COLLECTED", "UNUSABLE",
           "NOT_SUBMITTED", "LMS_CHOICES", "collect_reasons", "report_path", "print_report"]

LMS_CHOICES = [*LMS_NAMES, "folder"]
_KINDS = {".pdf": "a PDF", ".html": "an HTML page", ".py": "a Python script", ".zip": "a zip",
          ".docx": "a Word document", ".txt": "a text file", ".png": "an image", ".jpg": "an image"}


@dataclass
class Item:
    """One line of the final listing: a file and why it was not used (or what was done)."""

    origin: str
    reason: str
    student: str = None


@dataclass
class Outcome:
    student: str
    status: str
    reason: str = ""
    file: str = ""
    late: bool = False


@dataclass
class Report:
    assignment: str
    lms: str
    outcomes: dict = field(default_factory=dict)   # student_id -> Outcome
    problems: list = field(default_factory=list)   # Items that make the exit status 1
    notes: list = field(default_factory=list)      # Items worth knowing (older attempts...)
    roster: Roster = None

    def problem(self, origin, reason, student=None):
        self.problems.append(Item(origin, reason, student))

    def note(self, origin, reason, student=None):
        self.notes.append(Item(origin, reason, student))


@dataclass
class _Candidate:
    student: str
    found: object
    member: object

    @property
    def digest(self):
        return hashlib.sha256(self.member.data).hexdigest()


def _notebook_problem(data):
    """None if data is a notebook nbgrader can read, else why not."""
    import nbformat

    try:
        text = data.decode("utf-8-sig")
        json.loads(text)
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except UnicodeDecodeError:
        return "not a valid notebook: not UTF-8 text"
    except json.JSONDecodeError as error:
        return f"not a valid notebook: not JSON ({error})"
    except Exception as error:  # nbformat's reader and validator raise several kinds
        return f"not a valid notebook: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return None


def _fallback_id(identity, lms):
    """A student id when there is no roster: the login, else the LMS id (name for Moodle)."""
    if identity.login:
        return identity.login
    if lms == "moodle" and identity.name:
        return name_key(identity.name)
    return identity.lms_id or name_key(identity.name or "") or None


def _safe_name(name):
    return re.sub(r"[^\w.() -]+", "_", name).strip(". ") or "file"


class _Writer:
    def __init__(self, course_dir, assignment):
        self.course_dir, self.assignment = Path(course_dir), assignment
        self.aside = self.course_dir / "collect" / assignment / "set-aside"

    def clear(self, student):
        """Remove what an earlier collect set aside for `student` (the files of this download
        are judged again); the notebooks a collect replaced ("replaced-...") are kept."""
        folder = self.aside / student
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith("replaced-"):
                path.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()

    def set_aside(self, student, filename, data, reason):
        folder = self.aside / (student or "_unmatched")
        target = folder / _safe_name(filename)
        n = 1
        while target.exists() and target.read_bytes() != data:
            target = folder / f"{n}-{_safe_name(filename)}"
            n += 1
        write_atomic(target, data)
        write_atomic(target.with_name(target.name + ".why.txt"), (reason + "\n").encode())
        return target.relative_to(self.course_dir)

    def submit(self, student, data, when):
        folder = self.course_dir / "submitted" / student / self.assignment
        target = folder / f"{self.assignment}.ipynb"
        replaced = None
        if target.exists() and target.read_bytes() != data:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            replaced = self.set_aside(student, f"replaced-{stamp}.ipynb", target.read_bytes(),
                                      "collected before, replaced by a later `make collect`")
        write_atomic(target, data)
        write_atomic(folder / "timestamp.txt",
                     (when or datetime.now()).strftime("%Y-%m-%d %H:%M:%S.%f").encode() + b"\n")
        return replaced


def _upload_name(c):
    """"ps1-1.ipynb (submission number 900199, copy 1)": what told the uploads apart."""
    said = [f"submission number {c.found.number}"] if c.found.number else []
    copy = copy_number(c.found.filename)
    said += [f"copy {copy}"] if copy else []
    return f"{c.found.filename} ({', '.join(said)})" if said else c.found.filename


def _latest_uploads(report, current, student):
    """Of several uploads of one file name (Canvas: "ps1.ipynb", then "ps1-1.ipynb" with a
    higher submission number), keep the latest; list the others as notes."""
    groups = defaultdict(list)
    for c in current:
        groups[student_filename(c.found.filename).lower()].append(c)
    kept = []
    for uploads in groups.values():
        uploads.sort(key=lambda c: c.found.upload)
        latest = uploads[-1]
        for c in uploads[:-1]:
            report.note(c.member.origin, f"an earlier upload, {_upload_name(c)}: the latest, "
                        f"{_upload_name(latest)}, is graded", student)
        kept.append(latest)
    return kept


def _choose(report, writer, student, candidates):
    """Pick the student's notebook among their files; list and set aside the others."""
    assignment = report.assignment
    notebooks, others = [], []
    for c in candidates:
        (notebooks if c.found.filename.lower().endswith(".ipynb") else others).append(c)
    valid = []
    for c in notebooks:
        why = _notebook_problem(c.member.data)
        if why:
            kept = writer.set_aside(student, c.found.filename, c.member.data, why)
            report.problem(c.member.origin, f"{why}; kept in {kept}", student)
        else:
            valid.append(c)
    chosen = None
    if valid:
        latest = max(c.found.attempt for c in valid)
        for c in valid:
            if c.found.attempt != latest:
                report.note(c.member.origin, f"an older attempt ({c.found.attempt}); the "
                            f"attempt of {latest} is graded", student)
        current = _latest_uploads(report, [c for c in valid if c.found.attempt == latest],
                                  student)
        distinct = {c.digest: c for c in current}
        if len(distinct) > 1:
            named = {d: c for d, c in distinct.items()
                     if student_filename(c.found.filename).lower() == f"{assignment}.ipynb"}
            if len(named) == 1:
                chosen = next(iter(named.values()))
            for c in distinct.values():
                if c is chosen:
                    continue
                why = ("two different notebooks in one submission, none named "
                       f"{assignment}.ipynb: cannot tell which to grade" if chosen is None else
                       f"a second, different notebook; {chosen.found.filename} is graded")
                kept = writer.set_aside(student, c.found.filename, c.member.data, why)
                report.problem(c.member.origin, f"{why}; kept in {kept}", student)
        else:
            chosen = current[0]
    for c in others:
        kind = _KINDS.get(Path(c.found.filename).suffix.lower(), "not a notebook")
        if chosen is not None:
            report.note(c.member.origin, f"ignored: {kind}, next to the graded notebook", student)
        else:
            why = f"{kind} instead of a notebook ({c.found.filename})"
            kept = writer.set_aside(student, c.found.filename, c.member.data, why)
            report.problem(c.member.origin, f"{why}; kept in {kept}", student)
    if chosen is None:
        reasons = sorted({p.reason.split(";")[0] for p in report.problems if p.student == student})
        return Outcome(student, UNUSABLE, "; ".join(reasons) or "no notebook in the submission")
    when = chosen.found.when or chosen.member.when
    replaced = writer.submit(student, chosen.member.data, when)
    if replaced:
        report.note(chosen.member.origin, f"replaced the notebook collected before (kept in "
                    f"{replaced})", student)
    late = any(c.found.late for c in candidates if c.found.attempt == chosen.found.attempt)
    return Outcome(student, COLLECTED, "late" if late else "", chosen.member.origin, late)


def _check_assignment(course_dir, assignment):
    known = sorted({p.name for d in ("solutions", "assignments")
                    if (Path(course_dir) / d).is_dir() for p in (Path(course_dir) / d).iterdir()
                    if p.is_dir() and not p.name.startswith(".")})
    if assignment not in known:
        raise ValueError(f"set: expected one of the problem sets {known}, but got {assignment!r}")


def collect(course_dir, assignment, source, lms=None, roster=None, limits=None):
    """Collect `source` (a zip or folder downloaded from the LMS) for one problem set.

    Parameters
    ----------
    course_dir : path
        Course root; notebooks go to <course_dir>/submitted/<student>/<assignment>/.
    assignment : str
        The problem set, e.g. "ps1_neurons_and_gates".
    source : path
        The LMS download: a zip file or a folder.
    lms : {"canvas", "moodle", "blackboard", "ilias", "folder"}, optional
        Whose naming the download follows (default: guessed from the file names).
    roster : Roster, optional
        Who must appear. Without it students are named by their LMS login or id, and nobody
        missing from the download can be listed.

    Returns
    -------
    Report
    """
    course_dir = Path(course_dir)
    _check_assignment(course_dir, assignment)
    if lms is not None and lms not in LMS_CHOICES:
        raise ValueError(f"lms: expected one of {', '.join(LMS_CHOICES)}, but got {lms!r}")
    members = list(walk(source, limits or Limits()))
    if lms is None and not members:
        lms = "unknown"
    if lms is None:
        lms = detect(m.parts for m in members if m.problem is None)
        if lms is None:
            raise ValueError(f"lms: cannot tell which LMS made {source} from its file names; "
                             f"give --lms ({', '.join(LMS_CHOICES)})")
    report = Report(assignment, lms, roster=roster)
    writer = _Writer(course_dir, assignment)
    if not members:
        report.problem(str(source), "the download holds no files")
    by_student = defaultdict(list)
    for member in members:
        if is_noise(member.parts):
            report.note(member.origin, "ignored: a file the operating system or Jupyter adds")
            continue
        found = parse(lms, member.parts)
        student = None
        if found is not None:
            student = roster.match(found.identity) if roster else \
                _fallback_id(found.identity, lms)
        if member.problem:
            report.problem(member.origin, member.problem, student)
            continue
        if found is None:
            report.problem(member.origin, f"the name does not follow {lms}'s pattern: whose "
                           "is it?")
            continue
        if found.metadata:
            report.note(member.origin, f"ignored: {lms}'s receipt of the submission")
            continue
        if student is not None and not valid_id(student):
            report.problem(member.origin, f"the student id {student!r} from the name cannot "
                           "name a folder: write a roster.csv")
            continue
        if student is None:
            report.problem(member.origin, f"not on the roster, or matches several students "
                           f"({found.identity}): not added; add the student to roster.csv (or "
                           "their lms_id/login) and collect again")
            continue
        by_student[student].append(_Candidate(student, found, member))
    # a re-run judges these students' files again: what it set aside before goes
    for student in set(by_student) | {p.student for p in report.problems if p.student}:
        writer.clear(student)
    for student, candidates in sorted(by_student.items()):
        report.outcomes[student] = _choose(report, writer, student, candidates)
    for s in roster or []:
        earlier = course_dir / "submitted" / s.student_id / assignment / f"{assignment}.ipynb"
        if s.student_id not in report.outcomes and earlier.exists():
            report.outcomes[s.student_id] = Outcome(
                s.student_id, COLLECTED, "not in this download; kept the notebook collected "
                "before", str(earlier.relative_to(course_dir)))
        elif s.student_id not in report.outcomes:
            reasons = sorted({p.reason for p in report.problems if p.student == s.student_id})
            report.outcomes[s.student_id] = Outcome(
                s.student_id, UNUSABLE if reasons else NOT_SUBMITTED,
                "; ".join(reasons) or f"nothing from this student in the {lms} download")
    write_report(course_dir, report)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.collect",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("set", help="problem set, e.g. ps1_neurons_and_gates")
    parser.add_argument("source", help="the LMS download: a zip file or a folder")
    parser.add_argument("--lms", choices=LMS_CHOICES, help="whose naming (default: guessed)")
    parser.add_argument("--roster", help=f"class list CSV (default: {ROSTER_FILE} if present)")
    parser.add_argument("--course-dir", default=str(ROOT), help="course root (default: repo)")
    parser.add_argument("--allow-skips", action="store_true",
                        help="exit 0 even if some files could not be used")
    args = parser.parse_args(argv)
    course_dir = Path(args.course_dir)
    try:
        roster_path = args.roster or (course_dir / ROSTER_FILE)
        roster = Roster.read(roster_path) if args.roster or Path(roster_path).exists() else None
        report = collect(course_dir, args.set, args.source, args.lms, roster)
    except (RosterError, ValueError) as error:
        print(f"collect: {error}", file=sys.stderr)
        return 2
    print_report(report)
    if report.problems and not args.allow_skips:
        print("Exit status 1: fix the files above (or pass --allow-skips to accept this).",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
