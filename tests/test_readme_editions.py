"""The README's two audiences: the student edition's README (tools.student_edition's
student_readme of the same file) has no contributing heading, since CONTRIBUTING.md is not in
the student edition."""

from pathlib import Path

from tools.student_edition import student_readme

REPO = Path(__file__).resolve().parents[1]


def test_the_student_readme_heading_does_not_promise_contributing():
    source = (REPO / "README.md").read_text(encoding="utf-8")
    student = student_readme(source)
    assert "## Licence and citation\n" in student
    assert "contributing" not in student.lower()
    assert "## Licence, citation, contributing" in source
