"""`make collect` on downloads laid out as each LMS documents them (see lms_archives.py).

Every roster student must end up either with exactly their chosen notebook in
submitted/<student>/<set>/<set>.ipynb, or in the report with the reason; every file that was not
used must be listed; nothing outside the course folder may be written.
"""

import csv
import io
import zipfile

import lms_archives as A
import pytest

from tools import collect as C
from tools.archive import Limits
from tools.roster import Roster

LMSS = ["canvas", "moodle", "blackboard", "ilias", "folder"]
LIMITS = Limits(file_bytes=2**20)  # the 5 MiB member of the download is over it


@pytest.fixture
def course(tmp_path):
    (tmp_path / "solutions" / A.SET).mkdir(parents=True)
    (tmp_path / "roster.csv").write_text(A.roster_csv())
    return tmp_path


def roster(course):
    return Roster.read(course / "roster.csv")


def problems_of(report, student):
    return [p.reason for p in report.problems if p.student == student]


@pytest.mark.parametrize("lms", LMSS)
def test_every_roster_student_is_collected_or_explained(course, tmp_path, lms):
    download = tmp_path / f"{lms}.zip"
    expected = A.build(lms, download)
    report = C.collect(course, A.SET, download, lms=lms, roster=roster(course), limits=LIMITS)

    assert set(report.outcomes) == {p.sid for p in A.PEOPLE}
    for sid in A.COLLECTED:
        outcome = report.outcomes[sid]
        assert outcome.status == C.COLLECTED, (sid, outcome, problems_of(report, sid))
        folder = course / "submitted" / sid / A.SET
        assert A.marker(folder / A.NB) == expected[sid], sid
        assert (folder / "timestamp.txt").read_text().startswith("20")
    for sid, why in A.UNUSABLE.items():
        outcome = report.outcomes[sid]
        assert outcome.status == C.UNUSABLE and why in outcome.reason, (sid, outcome)
        assert not (course / "submitted" / sid).exists()
    assert report.outcomes["s10"].status == C.NOT_SUBMITTED
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(A.COLLECTED)
    # lateness, where the LMS writes it in the name
    assert report.outcomes["s02"].late == (lms in ("canvas", "ilias"))


@pytest.mark.parametrize("lms", LMSS)
def test_nothing_is_skipped_silently(course, tmp_path, lms):
    download = tmp_path / f"{lms}.zip"
    A.build(lms, download)
    report = C.collect(course, A.SET, download, lms=lms, roster=roster(course), limits=LIMITS)
    listed = "\n".join(f"{p.origin}: {p.reason}" for p in report.problems)

    assert "evil.ipynb: unsafe path" in listed
    assert "symbolic link" in "\n".join(problems_of(report, "s12"))
    assert any("too large" in r for r in problems_of(report, "s01"))
    assert any("not on the roster" in p.reason and "zz" not in (p.student or "")
               for p in report.problems)
    assert any("a second, different notebook" in r for r in problems_of(report, "s11"))
    assert len([r for r in problems_of(report, "s07") if "two different notebooks" in r]) == 2
    # the broken and unusable files are kept, with their reason, never deleted
    aside = course / "collect" / A.SET / "set-aside"
    assert (aside / "s06" / A.NB).read_bytes() == b'{"cells": [ this is not json'
    assert "not JSON" in (aside / "s06" / f"{A.NB}.why.txt").read_text()
    assert (aside / "s05" / f"{A.SET}.pdf").exists()
    assert {p.name for p in (aside / "s07").glob("*.ipynb")} == {"part1.ipynb", "part2.ipynb"}
    assert (aside / "s11" / "scratch.ipynb").exists()
    # nothing written outside the course folder, and no half-written file left behind
    assert not (tmp_path.parent / "evil.ipynb").exists()
    assert not list(course.rglob("*.part"))
    if lms in A.KEEPS_ATTEMPTS:
        assert any("older attempt" in n.reason for n in report.notes if n.student == "s09")


def test_the_report_lists_every_roster_student(course, tmp_path):
    download = tmp_path / "canvas.zip"
    A.build("canvas", download)
    C.collect(course, A.SET, download, lms="canvas", roster=roster(course), limits=LIMITS)
    with open(C.report_path(course, A.SET)) as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(rows) == {p.sid for p in A.PEOPLE}
    assert rows["s05"]["status"] == C.UNUSABLE and "PDF" in rows["s05"]["reason"]
    assert rows["s02"]["late"] == "yes"
    assert set(C.collect_reasons(course, A.SET)) == {"s05", "s06", "s07", "s10"}


@pytest.mark.parametrize("lms", ["canvas", "moodle", "blackboard", "ilias"])
def test_the_lms_is_recognised_from_its_names(course, tmp_path, lms):
    download = tmp_path / f"{lms}.zip"
    A.build(lms, download, hostile=False)
    report = C.collect(course, A.SET, download, roster=roster(course))
    assert report.lms == lms


def test_moodle_flat_names_without_folders(course, tmp_path):
    download = tmp_path / "moodle.zip"
    with zipfile.ZipFile(download, "w") as z:
        for p in A.PEOPLE[:3]:
            z.writestr(A.moodle_name(p, 1, A.NB, False, 0, folders=False), A.notebook(p.sid))
    report = C.collect(course, A.SET, download, lms="moodle", roster=roster(course))
    assert [report.outcomes[p.sid].status for p in A.PEOPLE[:3]] == [C.COLLECTED] * 3


def test_a_folder_download_with_a_symlink_outside(course, tmp_path):
    download = tmp_path / "download"
    (download / "s01").mkdir(parents=True)
    (download / "s01" / A.NB).write_bytes(A.notebook("s01"))
    secret = tmp_path / "secret.ipynb"
    secret.write_bytes(A.notebook("secret"))
    (download / "s02").mkdir()
    (download / "s02" / A.NB).symlink_to(secret)
    report = C.collect(course, A.SET, download, lms="folder", roster=roster(course))
    assert report.outcomes["s01"].status == C.COLLECTED
    assert report.outcomes["s02"].status == C.UNUSABLE
    assert "symbolic link" in report.outcomes["s02"].reason
    assert not (course / "submitted" / "s02").exists()


def test_an_empty_zip_lists_everybody_and_fails(course, tmp_path, capsys):
    download = tmp_path / "empty.zip"
    zipfile.ZipFile(download, "w").close()
    status = C.main([A.SET, str(download), "--course-dir", str(course)])
    out = capsys.readouterr().out
    assert status == 1
    assert "holds no files" in out
    for p in A.PEOPLE:
        assert p.sid in out
    with open(C.report_path(course, A.SET)) as f:
        assert [r["status"] for r in csv.DictReader(f)] == [C.NOT_SUBMITTED] * len(A.PEOPLE)


def test_exit_status_and_allow_skips(course, tmp_path, capsys):
    download = tmp_path / "canvas.zip"
    A.build("canvas", download, hostile=False)
    assert C.main([A.SET, str(download), "--course-dir", str(course)]) == 1
    out = capsys.readouterr().out
    assert "SKIPPED" in out and "s05" in out
    assert C.main([A.SET, str(download), "--course-dir", str(course), "--allow-skips"]) == 0


def test_a_clean_download_exits_zero(course, tmp_path):
    download = tmp_path / "canvas.zip"
    with zipfile.ZipFile(download, "w") as z:
        for k, p in enumerate(A.PEOPLE):
            z.writestr(A.canvas_name(p, 1, A.NB, False, k), A.notebook(p.sid))
    assert C.main([A.SET, str(download), "--course-dir", str(course)]) == 0


def test_the_issue_scenario_four_canvas_students(course, tmp_path):
    """Plain, LATE, re-uploaded "-1" and browser " (1)": nbgrader's pattern kept only two."""
    download = tmp_path / "submissions.zip"
    people = A.PEOPLE[:4]
    names = [A.NB, A.NB, f"{A.SET}-1.ipynb", f"{A.SET} (1).ipynb"]
    with zipfile.ZipFile(download, "w") as z:
        for k, (p, name) in enumerate(zip(people, names)):
            z.writestr(A.canvas_name(p, 1, name, k == 1, k), A.notebook(p.sid))
    report = C.collect(course, A.SET, download, roster=roster(course))
    assert report.lms == "canvas"
    assert [report.outcomes[p.sid].status for p in people] == [C.COLLECTED] * 4
    assert [p.sid for p in A.PEOPLE[4:]] == [
        s for s, o in report.outcomes.items() if o.status == C.NOT_SUBMITTED]


def test_without_a_roster_students_are_named_by_the_lms(course, tmp_path):
    (course / "roster.csv").unlink()
    download = tmp_path / "bb.zip"
    A.build("blackboard", download, hostile=False)
    report = C.collect(course, A.SET, download, lms="blackboard")
    assert report.outcomes["alee"].status == C.COLLECTED
    assert report.outcomes["zout"].status == C.COLLECTED  # nobody to tell it is a stranger
    out = io.StringIO()
    C.print_report(report, out)
    assert "No roster" in out.getvalue()


def test_collecting_again_keeps_the_earlier_notebook(course, tmp_path):
    download = tmp_path / "folder"
    (download / "s01").mkdir(parents=True)
    first, second = A.notebook("first"), A.notebook("second")
    (download / "s01" / A.NB).write_bytes(first)
    C.collect(course, A.SET, download, lms="folder", roster=roster(course))
    (download / "s01" / A.NB).write_bytes(second)
    report = C.collect(course, A.SET, download, lms="folder", roster=roster(course))
    assert (course / "submitted" / "s01" / A.SET / A.NB).read_bytes() == second
    kept = list((course / "collect" / A.SET / "set-aside" / "s01").glob("replaced-*.ipynb"))
    assert [k.read_bytes() for k in kept] == [first]
    assert any("replaced" in n.reason for n in report.notes)


@pytest.mark.parametrize("argv, message", [
    (["ps9_nothing", "x.zip"], "set: expected one of the problem sets"),
    ([A.SET, "missing.zip"], "source: expected a zip file or a folder"),
    ([A.SET, "x.zip", "--roster", "nope.csv"], "roster: no file"),
])
def test_bad_arguments_name_the_argument(course, tmp_path, capsys, argv, message):
    assert C.main([*argv, "--course-dir", str(course)]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_roster_names_the_line(tmp_path):
    from tools.roster import RosterError
    path = tmp_path / "roster.csv"
    path.write_text("student_id,name,email\ns01,Ann Lee,a@x\n../x,Evil,e@x\n")
    with pytest.raises(RosterError, match="line 3: student_id"):
        Roster.read(path)
    path.write_text("id,name\ns01,Ann\n")
    with pytest.raises(RosterError, match="missing: student_id, email"):
        Roster.read(path)


def test_an_unknown_lms_is_refused(course, tmp_path):
    with pytest.raises(ValueError, match="lms: expected one of"):
        C.collect(course, A.SET, tmp_path, lms="sakai")


def test_ambiguous_download_asks_for_lms(course, tmp_path):
    download = tmp_path / "d"
    download.mkdir()
    (download / "notes.ipynb").write_bytes(A.notebook("x"))
    with pytest.raises(ValueError, match="give --lms"):
        C.collect(course, A.SET, download)


def test_total_size_limit_stops_a_bomb(course, tmp_path):
    download = tmp_path / "canvas.zip"
    A.build("canvas", download, hostile=False)
    report = C.collect(course, A.SET, download, lms="canvas", roster=roster(course),
                       limits=Limits(total_bytes=3000))
    assert any("too large" in p.reason for p in report.problems)
    assert len(report.outcomes) == len(A.PEOPLE)


def test_doctests_of_the_collect_modules():
    import doctest

    from tools import archive, lms_names
    from tools import roster as roster_module
    for module in (archive, lms_names, roster_module):
        assert doctest.testmod(module).failed == 0, module.__name__



def test_a_roster_not_in_utf8_is_refused_with_the_reason(tmp_path):
    from tools.roster import RosterError
    path = tmp_path / "roster.csv"
    path.write_bytes("student_id,name,email\ns01,Chloé Dubois,c@x\n".encode("cp1252"))
    with pytest.raises(RosterError, match="expected UTF-8"):
        Roster.read(path)


def test_a_broken_roster_does_not_stop_the_grade_export(tmp_path, capsys):
    from tools import lms_export

    class Gradebook:
        def __init__(self):
            self.students = {}

        def update_or_create_student(self, student_id, **fields):
            self.students[student_id] = fields

    (tmp_path / "roster.csv").write_text("id,name\n1,Ann\n")
    assert lms_export.enrol_roster(Gradebook(), tmp_path) is None
    assert "WARNING" in capsys.readouterr().err
    (tmp_path / "roster.csv").write_text(A.roster_csv())
    gb = Gradebook()
    assert len(lms_export.enrol_roster(gb, tmp_path)) == len(A.PEOPLE)
    assert gb.students["s03"] == {"first_name": "Chloé", "last_name": "Dubois",
                                  "email": "cdubois@uni.example"}


def test_without_a_roster_an_lms_name_cannot_escape_submitted(course, tmp_path):
    (course / "roster.csv").unlink()
    download = tmp_path / "bb.zip"
    with zipfile.ZipFile(download, "w") as z:
        z.writestr(f"PS1_.._attempt_2026-03-01-10-00-00_{A.NB}", A.notebook("dots"))
        z.writestr(f"PS1_alee_attempt_2026-03-01-10-00-00_{A.NB}", A.notebook("alee"))
    report = C.collect(course, A.SET, download, lms="blackboard")
    assert list(report.outcomes) == ["alee"]
    assert any("cannot name a folder" in p.reason for p in report.problems)
    assert not (course / A.SET).exists() and not (course / "submitted" / A.SET).exists()


def test_a_second_download_keeps_what_the_first_collected(course, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, sid in ((first, "s01"), (second, "s02")):
        (folder / sid).mkdir(parents=True)
        (folder / sid / A.NB).write_bytes(A.notebook(sid))
    C.collect(course, A.SET, first, lms="folder", roster=roster(course))
    report = C.collect(course, A.SET, second, lms="folder", roster=roster(course))
    assert report.outcomes["s01"].status == report.outcomes["s02"].status == C.COLLECTED
    assert "collected before" in report.outcomes["s01"].reason
    assert report.outcomes["s03"].status == C.NOT_SUBMITTED


def test_students_outside_this_grading_run_are_not_called_missing(course):
    from tools import lms_export
    (course / "submitted" / "s02" / A.SET).mkdir(parents=True)
    results = {("s01", A.SET): {"status": "graded"}}  # as after make grade --student s01
    missing = {s: why for s, _, why in lms_export.missing_students(course, [A.SET], results,
                                                                      roster(course))}
    assert "s01" not in missing and "s02" not in missing
    assert "not collected" in missing["s03"]
