"""The LMS files hold only what is final (issue #29): the sets asked for, never a set nobody
handed in (a column of zeros would overwrite the LMS's assignment), and nothing while a written
answer waits for a grader unless the instructor says so. grades.csv is written by hand here, in
the columns tools.grade writes (tools.grades_table.COLUMNS)."""

import csv
import io

import pytest

from tools import lms_export
from tools.grades_table import COLUMNS
from tools.roster import Roster

ROSTER = "student_id,name,email,lms_id\na1,\"Lee, Ann\",a1@x.edu,11\nb2,Bob Smith,b2@x.edu,22\n"


def row(set_, sid, score, status, waiting=""):
    return {"assignment": set_, "student_id": sid, "score": score, "raw_score": score,
            "max_score": "10", "status": status, "waiting": waiting}


@pytest.fixture
def course(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER)
    rows = [row("ps1", "a1", "7", "graded"), row("ps1", "b2", "0", "not submitted"),
            row("ps2", "a1", "0", "not submitted"), row("ps2", "b2", "0", "not submitted"),
            row("ps3", "a1", "8", "waiting for manual grading",
                "waiting for manual grading: essay (2 points)"),
            row("ps3", "b2", "9", "graded")]
    with open(tmp_path / "grades.csv", "w", newline="") as f:
        out = csv.DictWriter(f, COLUMNS + ["reason"], restval="")
        out.writeheader()
        out.writerows(rows)
    return tmp_path


def export(course, *args):
    target = course / "out.csv"
    if target.exists():
        target.unlink()
    status = lms_export.main(["canvas", "--grades", str(course / "grades.csv"), "--roster",
                              str(course / "roster.csv"), "--to", str(target), *args])
    if status != 0:
        return status, None
    with open(target, newline="") as f:
        return status, list(csv.reader(f))


def test_a_set_nobody_handed_in_is_left_out_and_a_waiting_answer_refuses(course, capsys):
    status, _ = export(course)
    err = capsys.readouterr().err
    assert status == 2 and "a1 ps3 (essay (2 points))" in err and "--allow-ungraded" in err
    status, rows = export(course, "--allow-ungraded")
    assert status == 0 and rows[0][5:] == ["ps1", "ps3"]  # no ps2 column of zeros
    assert rows[2][0] == "Lee, Ann" and rows[2][5:] == ["7", "8"]
    assert rows[3][5:] == ["0", "9"]  # b2 missed ps1, which a1 handed in: 0
    assert "ps2 left out: nobody handed it in" in capsys.readouterr().out


def test_only_the_sets_asked_for(course, capsys):
    status, rows = export(course, "--assignment", "ps1")
    assert status == 0 and rows[0][5:] == ["ps1"]
    assert export(course, "--assignment", "ps2")[0] == 2
    assert "nothing to export" in capsys.readouterr().err
    assert export(course, "--assignment", "ps9")[0] == 2
    assert "sets: ps9 not in" in capsys.readouterr().err


def test_a_student_without_a_row_gets_an_empty_cell(tmp_path):
    people = Roster.read(io.StringIO(ROSTER))
    lms_export.write_canvas(tmp_path / "c.csv", {("a1", "ps1"): 5.0}, {"ps1": 10.0}, people,
                            ["ps1"])
    with open(tmp_path / "c.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[2][5] == "5" and rows[3][5] == ""
