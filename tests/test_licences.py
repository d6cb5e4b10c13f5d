"""Another instructor may reuse the course: the licences are stated, and stated everywhere."""

import json
import re
from pathlib import Path

import nbformat

from tools import notices

ROOT = Path(__file__).resolve().parents[1]


def test_licence_files_exist_and_name_their_terms():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    content = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert "CC BY 4.0" in content and "creativecommons.org/licenses/by/4.0" in content


def test_readme_states_both_licences():
    readme = (ROOT / "README.md").read_text()
    assert "(LICENSE)" in readme and "(LICENSE-CONTENT.md)" in readme


def test_every_notebook_ends_its_first_cell_with_the_notice():
    stale = notices.stale(ROOT)
    assert not stale, ("licence notice missing or out of date (run python -m tools.notices, "
                       f"then make release): {[str(p.relative_to(ROOT)) for p in stale]}")
    assert len(notices.notebooks(ROOT)) >= 13 + 4


def test_released_problem_sets_carry_the_notice():
    released = sorted(ROOT.glob("assignments/*/*.ipynb"))
    assert released
    for path in released:
        first = json.loads(path.read_text())["cells"][0]
        assert notices.MARKER in "".join(first["source"]), f"{path}: run make release"


def test_notice_links_resolve_from_each_notebook():
    for path in notices.notebooks(ROOT):
        targets = re.findall(r"\]\(([^)]+)\)", notices.footer(path, ROOT))
        assert sorted(Path(t).name for t in targets) == ["LICENSE", "LICENSE-CONTENT.md"]
        for target in targets:
            assert (path.parent / target).resolve().is_file(), f"{path}: {target} is broken"


def test_stamping_is_idempotent_and_replaces_an_old_notice(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# 01 · A lesson\n\nText.\n\n" + notices.MARKER + "\n<sub>an old licence</sub>")])
    path = course / "01_a_lesson.ipynb"
    nbformat.write(nb, path)
    (tmp_path / "LICENSE").write_text("x")
    (tmp_path / "LICENSE-CONTENT.md").write_text("x")
    assert notices.stamp(tmp_path) == [path]
    source = nbformat.read(path, as_version=4).cells[0].source
    assert "an old licence" not in source and source.startswith("# 01 · A lesson\n\nText.\n\n")
    assert "[MIT](../LICENSE)" in source
    assert notices.stamp(tmp_path) == []


def test_the_changelog_names_the_one_version():
    import nnlab

    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert releases and releases[0] == nnlab.__version__, (
        f"CHANGELOG.md's newest release is {releases[:1]}, nnlab.__version__ is "
        f"{nnlab.__version__}: bump one with the other")
