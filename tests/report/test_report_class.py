"""The report of a simulated class of ps3, built without kernels (tests/report/simulated.py).

The class: 40 students drawn from an ability model; question 3 (test_accuracy) has a broken
hidden test that raises the same AttributeError for everybody; question 8 (test_minibatches)
is passed at random; the students who pass `losses` hand in one of six independent correct
answers, and two more students hand in a planted copy (renamed variables, reordered lines).
Around them: a roster with names holding commas and accents, a roster student who submitted
nothing, a folder without the notebook, a notebook that was never graded, two late students,
a flagged one, and one whose written answer waits for its hand grade. The class is built and
its report made once for the module.
"""

import csv
import re

import numpy as np
import pytest
from answers import COPIED_FROM, COPIER, COPY, INDEPENDENT, ORIGINAL
from simulated import GeneratedClass, random_class

from tools.report import build_report
from tools.report.__main__ import main

PSET = "ps3_gradient_descent"
BROKEN = "test_accuracy"
BROKEN_ERROR = "AttributeError: module 'nnlab.metrics' has no attribute 'accurcy'"
NAMES = {"r_missing": "José Núñez, Jr.", "r_empty": "Chloé Dubois",
         "r_ungraded": 'Ann "Annie" Lee', COPIER: "Zoë Ångström", COPIED_FROM: "O'Brien, Olga"}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    generated = GeneratedClass(tmp_path_factory.mktemp("course"), PSET)
    students = random_class(generated, 40, seed=3, broken=BROKEN, flat="test_minibatches",
                            pool={"losses": list(INDEPENDENT.values())})
    losses_full = dict(students["s000"][1], test_losses=1.0)
    students[COPIED_FROM] = ({"losses": ORIGINAL}, losses_full)
    students[COPIER] = ({"losses": COPY}, dict(losses_full))
    students["s001"][1]["answer_tradeoffs"] = None                 # not graded by hand yet
    errors = {(s, BROKEN): BROKEN_ERROR for s in students}
    generated.add(students, errors, late={"s002", "s003"})
    generated.add_ungraded("r_ungraded")
    generated.add_empty_folder("r_empty")
    generated.flag("s004", ["numpy's comparisons were replaced"])
    generated.write_roster([(s, NAMES.get(s, f"Student {s}"), f"{s}@uni.example")
                            for s in {**students, **NAMES} if s != "s039"])
    result = build_report(generated.course, PSET)
    result["generated"], result["students"] = generated, students
    return result


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_the_broken_question_tops_the_list(report):
    first = report["broken"][0]
    assert (first["number"], first["name"]) == (3, BROKEN)
    assert "nobody had full marks" in first["flags"]
    assert "errors for most students" in first["flags"]
    assert first["top_error"].startswith(BROKEN_ERROR)


def test_statistics_are_those_of_the_gradebook_scores(report):
    """The table read from the gradebook agrees with the scores the class was given."""
    data, students = report["data"], report["students"]
    assert sorted(data.students) == sorted(students)
    names = [q.name for q in data.questions]
    for student, (_, scores) in students.items():
        row = data.scores[data.students.index(student)]
        for j, name in enumerate(names):
            expected = scores.get(name, 0.0)
            if expected is None:
                assert np.isnan(row[j])
            else:
                assert row[j] == pytest.approx(expected), (student, name)
    q1 = report["stats"][0]
    passed = [s for s, (_, sc) in students.items() if sc.get("test_losses")]
    assert q1["full"] == pytest.approx(len(passed) / len(students))


def test_the_planted_copy_is_the_first_pair(report):
    question, _, a, b, *_ = report["pairs"][0]
    assert (question, {a, b}) == ("losses", {COPIED_FROM, COPIER})
    others = [p for p in report["pairs"] if {p[2], p[3]} != {COPIED_FROM, COPIER}]
    assert others == [], "independent answers were listed as similar"


def test_people_the_statistics_leave_out(report):
    data = report["data"]
    assert dict(data.missing).keys() == {"r_missing", "r_empty"}
    assert dict(data.ungraded).keys() == {"r_ungraded"}
    assert set(data.late) == {"s002", "s003"}
    assert data.flags == {"s004": ["numpy's comparisons were replaced"]}
    assert data.waiting == {"s001": ["answer_tradeoffs"]}


def test_csv_files_keep_names_and_have_one_column_per_question(report):
    summary = {row[0]: row for row in read_csv(report["csv"]["summary"])[1:]}
    for student, name in NAMES.items():
        assert summary[student][1] == name
    assert summary["r_missing"][2] == "missing"
    assert summary["r_ungraded"][2] == "not graded"
    assert "s039" in summary            # graded, though not on the roster
    lms = read_csv(report["csv"]["lms"])
    header = lms[0]
    assert header == ["student_id", "name"] + [q.name for q in report["data"].questions] + \
        ["total"]
    rows = {row[0]: row for row in lms[1:]}
    _, scores = report["students"]["s005"]
    for j, question in enumerate(header[2:-1], start=2):
        assert float(rows["s005"][j]) == pytest.approx(scores.get(question, 0.0))
    assert float(rows["s005"][-1]) == pytest.approx(sum(v for v in scores.values() if v))
    assert rows["r_missing"][2:] == [""] * (len(header) - 2)
    questions = read_csv(report["csv"]["questions"])
    assert [row[1] for row in questions[1:]] == header[2:-1]
    similar = read_csv(report["csv"]["similar"])
    assert similar[1][:3] == ["losses", *sorted((COPIED_FROM, COPIER))]


def test_the_page_is_self_contained_and_says_it_does_not_accuse(report):
    text = report["html"].read_text(encoding="utf-8")
    assert "<script" not in text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), "a remote resource"
    assert "data:image/svg+xml;base64," in text
    assert "never accuses" in text
    assert "José Núñez, Jr." in text and "Ann &quot;Annie&quot; Lee" in text
    # the broken question comes before every other question in the page
    assert text.index("Questions to check first") < text.index(f"Q3 {BROKEN}") < \
        text.index("Every question")
    assert len(text.encode()) < 2 * 2**20


def test_command_line(report, capsys):
    course = report["generated"].course
    assert main([PSET, "--course-dir", str(course), "--to", str(course / "elsewhere")]) == 0
    out = capsys.readouterr().out
    assert f"CHECK Q3 {BROKEN}" in out and (course / "elsewhere" / "report.html").exists()
    assert main(["ps9_nothing", "--course-dir", str(course)]) == 2
    assert "ps9_nothing" in capsys.readouterr().err


def test_the_page_passes_axe(report):
    """axe-core (as tests/browser injects it) finds no violation on the page in Chromium."""
    import os
    import shutil
    import subprocess

    from tests.browser.conftest import AXE_DIR, AXE_VERSION
    from tests.browser.labdriver import INSTALL_HINT, find_chromium, launch_chromium

    required = os.environ.get("NNLAB_REQUIRE_BROWSER", "") == "1"
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    problem = None if find_chromium() else INSTALL_HINT
    if problem is None and not script.exists():
        if shutil.which("npm") is None:
            problem = "npm is needed to install axe-core (`apt-get install npm`)"
        else:
            subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "--no-audit",
                            "--no-fund", "--no-save", f"axe-core@{AXE_VERSION}"], check=True,
                           capture_output=True, timeout=300)
    if problem:
        (pytest.fail if required else pytest.skip)(problem)
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    def axe_violations():
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                page = browser.new_page()
                page.goto(report["html"].as_uri())
                page.add_script_tag(content=script.read_text())
                return page.evaluate("axe.run()")["violations"]
            finally:
                browser.close()

    # Playwright's sync API refuses a thread with a running asyncio loop, which an earlier test
    # of the session (a kernel client) may leave behind in the main thread: a thread of its own
    with ThreadPoolExecutor(max_workers=1) as pool:
        violations = pool.submit(axe_violations).result(timeout=300)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []


def test_a_graded_cell_missing_from_the_release_is_kept():
    """A release older than the gradebook: its extra graded cell comes last, not lost."""
    from tools.report.data import _questions

    cells = [{"cell_type": "code", "source": "def f():\n    pass\n",
              "metadata": {"nbgrader": {"grade_id": "f", "solution": True, "grade": False}}},
             {"cell_type": "code", "source": "assert f() is None\n",
              "metadata": {"nbgrader": {"grade_id": "test_f", "grade": True, "points": 1}}}]
    questions, given, _ = _questions([("ps.ipynb", cells)],
                                     {"test_f": (1.0, "code"), "test_g": (2.0, "code"),
                                      "essay": (3.0, "markdown")})
    assert [(q.name, q.kind, q.max_score, q.answer) for q in questions] == [
        ("test_f", "test", 1.0, "f"), ("essay", "written", 3.0, ""),
        ("test_g", "test", 2.0, "")]
    assert given == {"f": "def f():\n    pass\n"}
