"""Grading a hostile class: every submission's kernel runs in a jail (issue #22).

The first set's hostile class (tests/grading/hostile.py) is graded once with one worker and once
with two, next to honest students graded before and after the attackers (their names sort first
and last). The honest students are also graded alone, without attackers: each must score exactly
that, test by test. Every attack must fail and be flagged in the summary and grades.csv. The
liar (an ndarray and a float that agree with everything) is graded in every set, beside the same
wrong answers handed in honestly: it must earn exactly what they earn.
"""

import csv
import hashlib
import os
import secrets
import socket
import threading
import time
from pathlib import Path

import cheaters
import hostile
import nbformat
import pytest
from harness import ProblemSet, problem_sets
from test_integrity import hidden_lines, make_course
from test_simulated_class import LIMITS

from tools.grade import FAILED, GRADED, cell_scores, grade
from tools.grading import jail

SECRET = "NNLAB_GRADER_SECRET"


@pytest.fixture(scope="module")
def server():
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    accepted, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            accepted.append(connection.recv(100))
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join()
    listener.close()


def honest_class(ps):
    wrong_cell, wrong_source, _ = ps.cases.WRONG
    return {"aaa_honest": ps.student(),
            "wrong_honest": ps.student(cheaters.wrong_answers(ps.answers)),
            "zzz_honest": ps.student({wrong_cell: wrong_source})}


def digests(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, server):
    """{"alone": (course, summary), 1: ..., 2: ...}: the honest students alone, and the
    hostile class graded with one and with two workers; plus what was seen after each run."""
    jail.check()
    ps = ProblemSet(problem_sets()[0])
    port, _ = server
    honest = honest_class(ps)
    runs, seen = {}, {}
    runs["alone"] = (make_course(tmp_path_factory, ps, honest, "alone"), None)
    runs["alone"] = (runs["alone"][0], grade(runs["alone"][0], assignments=[ps.name],
                                             limits=LIMITS, force=True, feedback=False))
    os.environ[SECRET] = secrets.token_hex(16)  # in every grading process's environment
    try:
        for jobs in (1, 2):
            course = make_course(tmp_path_factory, ps,
                                 {**honest, **hostile.attackers(ps, port)}, f"hostile{jobs}")
            hostile.plant_links(course, ps)
            before = digests(course / "submitted")
            summary = grade(course, assignments=[ps.name], limits=LIMITS, force=True,
                            jobs=jobs)
            seen[jobs] = {"submitted": before, "csv": Path(summary["csv"]).read_text(),
                          "scores": {s: cell_scores(course, ps.name, s)
                                     for s in students_of(summary, ps)}}
            runs[jobs] = (course, summary)
        time.sleep(6)  # a detached writer would have written by now
        yield ps, runs, seen, os.environ[SECRET]
    finally:
        os.environ.pop(SECRET, None)
        for path in hostile.PLANTED:  # never leave a planted file behind, whatever happened
            Path(path).unlink(missing_ok=True)


def students_of(summary, ps):
    return sorted(s for s, a in summary["results"] if a == ps.name)


def outputs(course, ps, student):
    """Everything the student's kernel printed while it was graded."""
    path = course / "autograded" / student / ps.name / ps.released_name
    if not path.exists():
        return ""
    texts = []
    for cell in nbformat.read(path, as_version=4).cells:
        for out in cell.get("outputs", []):
            texts.append(str(out.get("text", "")) + str(out.get("data", "")) +
                         str(out.get("evalue", "")))
    return "\n".join(texts)


RUNS = [1, 2]


@pytest.mark.parametrize("jobs", RUNS)
def test_honest_students_score_exactly_what_they_score_without_attackers(graded, jobs):
    ps, runs, seen, _ = graded
    alone_course, alone = runs["alone"]
    course, summary = runs[jobs]
    for student in honest_class(ps):
        expected = alone["results"][student, ps.name]
        result = summary["results"][student, ps.name]
        assert result["status"] == GRADED and result["flags"] == [], (student, result)
        assert result["score"] == expected["score"], student
        assert seen[jobs]["scores"][student] == cell_scores(alone_course, ps.name, student)
    assert alone["results"]["aaa_honest", ps.name]["score"] > \
        alone["results"]["zzz_honest", ps.name]["score"]  # the scores differ: a real check


def test_a_jailed_notebook_knows_nbgrader_is_running_it(graded):
    """nbgrader tells a notebook it is autograded (NBGRADER_EXECUTION): the jail hands that one
    variable in, so the check-my-work cell stands aside instead of running the tests again."""
    ps, runs, _, _ = graded
    course, _ = runs["alone"]
    printed = outputs(course, ps, "aaa_honest")
    assert "nbgrader is running this notebook" in printed, printed[-300:]


@pytest.mark.parametrize("jobs", RUNS)
def test_attackers_are_flagged_in_the_summary_and_grades_csv(graded, jobs):
    ps, runs, _, _ = graded
    course, summary = runs[jobs]
    with open(summary["csv"]) as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)
                if row["assignment"] == ps.name}
    expected = {
        "reads_hidden_tests": "started a process", "blanks_classmates": "started a process",
        "detached_writer": "the jail ended", "connects_out": "used the network",
        "reads_environment": "opened /proc/", "links_out": "symbolic link",
        "links_notebook": "symbolic link", "fills_disk": "filled its private space",
        "fork_bomb": "the jail ended", "plants_files": "wrote to /",
        "kills_grader": "sent a signal", "peeks_at_others": "grading stopped",
    }
    for attacker, reason in expected.items():
        flags = summary["results"][attacker, ps.name]["flags"]
        assert any(reason in flag for flag in flags), (attacker, flags)
        assert rows[attacker]["flags"] == "; ".join(flags)


@pytest.mark.parametrize("jobs", RUNS)
def test_no_attack_reaches_the_grader_or_a_classmate(graded, server, jobs):
    ps, runs, seen, secret = graded
    course, summary = runs[jobs]
    secrets_of_ps = hidden_lines(ps)

    def printed(student):
        return outputs(course, ps, student)

    for student in ("reads_hidden_tests", "links_out", "blanks_classmates"):
        text = "".join(printed(student).split())
        assert not [line for line in secrets_of_ps if line in text], student
        assert "BEGINHIDDENTESTS" not in text and "BEGINSOLUTION" not in text, student
    assert "ATTACK blanked" not in printed("blanks_classmates")
    assert digests(course / "submitted") == seen[jobs]["submitted"]   # nobody's work touched
    assert "HACKED" not in Path(summary["csv"]).read_text()
    assert Path(summary["csv"]).read_text() == seen[jobs]["csv"]        # nothing after the run
    for student in students_of(summary, ps):
        assert cell_scores(course, ps.name, student) == seen[jobs]["scores"][student]
        assert summary["results"][student, ps.name]["score"] <= ps.total, student
    assert server[1] == [], "a kernel reached a server on 127.0.0.1"
    assert "ATTACK connect failed" in printed("connects_out")
    assert secret not in printed("reads_environment")
    assert "ATTACK mem failed" in printed("kills_grader")
    assert "ATTACK fill stopped /tmp/fill" in printed("fills_disk")
    assert sum(p.stat().st_size for p in course.rglob("*") if p.is_file()) < 100 * 2**20
    assert [p for p in hostile.PLANTED if Path(p).exists()] == []
    assert "ATTACK plant failed" in printed("plants_files")
    links = summary["results"]["links_notebook", ps.name]
    assert links["status"] == FAILED and links["score"] == 0


@pytest.mark.parametrize("jobs", RUNS)
def test_attackers_who_still_answer_are_graded(graded, jobs):
    """A failed attack does not stop the grading of the attacker's answers (the solution's).
    Their scores are not compared: what an attack's processes print to stderr reaches the
    kernel late, and costs the test cell it lands in (nbgrader's rule), on the attacker only."""
    ps, runs, _, _ = graded
    _, summary = runs[jobs]
    for attacker in ("reads_hidden_tests", "blanks_classmates", "detached_writer",
                     "connects_out", "reads_environment", "links_out", "fills_disk",
                     "fork_bomb", "plants_files", "kills_grader"):
        assert summary["results"][attacker, ps.name]["status"] == GRADED, attacker


def test_one_worker_and_two_grade_the_hostile_class_alike(graded):
    ps, runs, _, _ = graded
    one, two = runs[1][1], runs[2][1]
    for student in students_of(one, ps):
        a, b = one["results"][student, ps.name], two["results"][student, ps.name]
        assert a["status"] == b["status"], student
        if student in honest_class(ps):
            assert a["score"] == b["score"], student


# --- the liar, in every set -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def liars(tmp_path_factory):
    """Every set graded once (two workers) for `wrong_honest` and `liar`, who hands in the same
    wrong answers, lying in every comparison."""
    course = tmp_path_factory.mktemp("liars")
    sets = [ProblemSet(name) for name in problem_sets()]
    for ps in sets:
        single = make_course(tmp_path_factory, ps, {
            "wrong_honest": ps.student(cheaters.wrong_answers(ps.answers)),
            "liar": ps.student(hostile.liar_answers(cheaters.wrong_answers(ps.answers),
                                                    cheaters.function_names))}, f"l{ps.name}")
        for part in ("solutions", "submitted"):
            for path in (single / part).rglob("*"):
                if path.is_file():
                    target = course / path.relative_to(single)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(path.read_bytes())
        (course / "nbgrader_config.py").write_bytes((single / "nbgrader_config.py").read_bytes())
    summary = grade(course, assignments=[ps.name for ps in sets], limits=LIMITS, force=True,
                    feedback=False, jobs=2)
    return sets, course, summary


@pytest.mark.parametrize("pset", problem_sets())
def test_an_answer_that_lies_earns_what_the_same_answers_earn_honestly(liars, pset):
    sets, course, summary = liars
    honest = summary["results"]["wrong_honest", pset]
    lying = summary["results"]["liar", pset]
    assert honest["status"] == lying["status"] == GRADED
    assert cell_scores(course, pset, "liar") == cell_scores(course, pset, "wrong_honest")
    assert lying["score"] == honest["score"]


# --- the jail itself ------------------------------------------------------------------------


def test_without_bubblewrap_grading_stops_and_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(jail, "_checked", {})
    monkeypatch.setattr(jail.shutil, "which", lambda name: None)
    with pytest.raises(jail.JailUnavailable, match="apt-get install bubblewrap"):
        jail.check()
    monkeypatch.undo()
    monkeypatch.setattr(jail, "_checked", {})
    jail.check()  # and here, with bwrap, a jail can be made (the hostile class needs it)


def test_make_grade_refuses_to_grade_without_a_jail(tmp_path, monkeypatch, capsys):
    from tools import grade as grade_tool

    (tmp_path / "submitted" / "ada" / "ps1").mkdir(parents=True)
    monkeypatch.setattr(jail, "_checked", {"error": "the command `bwrap` was not found"})
    assert grade_tool.main(["--course-dir", str(tmp_path)]) == 3
    message = capsys.readouterr().err
    assert "bwrap` was not found" in message and "--no-jail" in message
    assert not (tmp_path / "gradebook.db").exists()  # stopped before grading anything


def test_unjailed_grading_says_so_in_every_line_and_in_grades_csv(tmp_path, capsys):
    say = jail.unjailed(print)
    say("ps1 ada 10.0 / 10.0")
    say("\r  ps1: 1/2 graded", end="")
    printed = capsys.readouterr().out
    assert printed.count("[UNJAILED]") == 2
    path = tmp_path / "grades.csv"
    path.write_text("student_id,score\nada,10.0\n\"Oneal, Bob\",3.0\n")
    jail.mark_unjailed(path)
    with open(path) as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student_id", "score", "UNJAILED"]
    assert [r["student_id"] for r in rows] == ["ada", "Oneal, Bob"]
    assert all(r["UNJAILED"] == jail.UNJAILED_NOTE for r in rows)
