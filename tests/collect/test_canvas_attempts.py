"""Canvas re-uploads (issue #29): the uploads of one file name are ordered by Canvas's
submission number, then the "-N" suffix; the latest is graded, the others are listed by name, and
a re-run removes what an earlier collect set aside."""

import io
import zipfile

import lms_archives as A
import pytest

from tools import collect as C
from tools.roster import Roster


@pytest.fixture
def course(tmp_path):
    (tmp_path / "solutions" / A.SET).mkdir(parents=True)
    (tmp_path / "roster.csv").write_text(A.roster_csv())
    return tmp_path


def canvas(p, number, filename):
    return f"{p.canvas_name}_{p.uid}_{number}_{filename}"


def collect(course, download, files):
    with zipfile.ZipFile(download, "w") as z:
        for name, data in files:
            z.writestr(name, data)
    report = C.collect(course, A.SET, download, roster=Roster.read(course / "roster.csv"))
    out = io.StringIO()
    C.print_report(report, out)
    return report, out.getvalue()


def submitted(course, sid):
    return A.marker(course / "submitted" / sid / A.SET / A.NB)


def test_the_issue_re_upload_is_graded_and_the_first_upload_listed(course, tmp_path):
    ann, bob, chloe = A.PEOPLE[:3]
    report, out = collect(course, tmp_path / "d.zip", [
        (canvas(ann, 900105, A.NB), A.notebook("ann-first")),
        (canvas(ann, 900199, f"{A.SET}-1.ipynb"), A.notebook("ann-second")),
        # the numbers decide, not the order in the zip or the suffix alone
        (canvas(bob, 900300, f"{A.SET}-2.ipynb"), A.notebook("bob-third")),
        (canvas(bob, 900201, f"{A.SET}-1.ipynb"), A.notebook("bob-second")),
        (canvas(bob, 900150, A.NB), A.notebook("bob-first")),
        # the same number twice (a browser copy inside one upload): the suffix decides
        (canvas(chloe, 900400, f"{A.SET} (1).ipynb"), A.notebook("chloe-copy")),
        (canvas(chloe, 900400, A.NB), A.notebook("chloe-plain")),
    ])
    assert report.problems == []
    assert {s: report.outcomes[s].status for s in ("s01", "s02", "s03")} == \
        dict.fromkeys(("s01", "s02", "s03"), C.COLLECTED)
    assert (submitted(course, "s01"), submitted(course, "s02"), submitted(course, "s03")) == \
        ("ann-second", "bob-third", "chloe-copy")
    ann_notes = [n.reason for n in report.notes if n.student == "s01"]
    assert ann_notes == [f"an earlier upload, {A.NB} (submission number 900105): the latest, "
                         f"{A.SET}-1.ipynb (submission number 900199, copy 1), is graded"]
    assert len([n for n in report.notes if n.student == "s02"]) == 2
    assert "submission number 900105" in out and "two different notebooks" not in out
    assert not (course / "collect" / A.SET / "set-aside").exists()


def test_two_different_notebooks_are_still_told_apart_by_name(course, tmp_path):
    """Uploads of different names are not attempts of one file: the set's notebook wins, and
    two notebooks neither named after the set are still refused."""
    ann, bob = A.PEOPLE[:2]
    report, _ = collect(course, tmp_path / "d.zip", [
        (canvas(ann, 10, A.NB), A.notebook("ann")),
        (canvas(ann, 11, "scratch.ipynb"), A.notebook("ann-scratch")),
        (canvas(bob, 12, "part1.ipynb"), A.notebook("bob-1")),
        (canvas(bob, 13, "part2.ipynb"), A.notebook("bob-2")),
    ])
    assert submitted(course, "s01") == "ann"
    assert report.outcomes["s02"].status == C.UNUSABLE
    assert "two different notebooks" in report.outcomes["s02"].reason


def test_a_re_run_clears_what_it_set_aside_before(course, tmp_path):
    ann = A.PEOPLE[0]
    aside = course / "collect" / A.SET / "set-aside" / "s01"
    collect(course, tmp_path / "one.zip", [(canvas(ann, 1, A.NB), b"{not json")])
    assert sorted(p.name for p in aside.iterdir()) == [A.NB, f"{A.NB}.why.txt"]
    report, out = collect(course, tmp_path / "two.zip", [(canvas(ann, 2, A.NB),
                                                          A.notebook("fixed"))])
    assert report.outcomes["s01"].status == C.COLLECTED and report.problems == []
    assert not aside.exists(), list(aside.iterdir())
    # a notebook a collect replaced is kept: nothing collected is ever lost
    collect(course, tmp_path / "three.zip", [(canvas(ann, 3, A.NB), A.notebook("again"))])
    assert [A.marker(p) for p in aside.glob("replaced-*.ipynb")] == ["fixed"]
    assert submitted(course, "s01") == "again"
