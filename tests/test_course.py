"""The course as committed: clean notebooks, the lessons in syllabus order, concepts, links."""

import re
from pathlib import Path

import nbformat
import pytest

from tools import links

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]

# The lessons in syllabus order: number -> a word that must appear in the file name or title
# (a tuple accepts any one of its words).
LESSONS = {
    "01": "neuron",
    "02": "activation",
    "03": "gate",
    "04": "perceptron",
    "05": "network",
    "06": "loss",
    "07": "descent",
    "08": "backprop",
    "09": "optimizer",
    "10": "generalization",
    "11": ("workflow", "iris"),
    "12": "playground",
    "13": "digits",
}

# Every row of the syllabus, as the key terms its lesson must mention. A tuple accepts any one
# of its spellings. The search is on the lesson's markdown and code, lowercased.
COVERAGE = {
    "01": ["input", "weight", "bias", "weighted sum", "activation", ("fires", "fire"),
           "synapse", "linear regression"],
    "02": ["step", "linear", "sigmoid", "tanh", "relu", ("leaky relu", "leaky_relu"), "softmax",
           ("non-linear", "nonlinear"), "differentiable", "range"],
    "03": ["truth table", "or", "and", "nand", "nor", "xor", ("one neuron", "single neuron"),
           ("two layers", "second layer")],
    "04": ["perceptron", "learning rule", "linearly separable", "blobs", "accuracy", "xor",
           ("converge", "convergence")],
    "05": ["input layer", "hidden layer", "output layer", "fully connected",
           ("feedforward", "feed-forward"), "deep", ("gaussian", "normal distribution"),
           "zero", "symmetry", "xor"],
    "06": ["loss", ("mean squared error", "mse"), ("binary cross-entropy", "binary_crossentropy"),
           ("categorical cross-entropy", "categorical_crossentropy"), "accuracy", "metric"],
    "07": ["gradient descent", "stochastic", ("mini-batch", "minibatch"), "learning rate",
           "epoch", "batch size", ("trade-off", "tradeoff", "trade off")],
    "08": [("backpropagation", "backprop"), "chain rule", ("gradcheck", "gradient check"),
           ("numerical", "finite difference")],
    "09": ["sgd", "momentum", "rmsprop", "adam", "gradient accumulation", "accumulation_steps"],
    "10": ["training", "validation", "test", "learning curve", ("underfitting", "underfit"),
           ("overfitting", "overfit"), "early stopping", "earlystopping", "l2", "more data",
           "hyperparameter"],
    "11": ["iris", ("standardis", "standardiz"), ("one-hot", "one hot"),
           ("k-fold", "cross-validation", "cross_validate"), "evaluate", "save", "load_model",
           "predict"],
    "12": ["playground", "feature", ("regularization", "regularisation"), "l1", "l2",
           ("overfitting", "overfit"), ("depth", "hidden layers"), ("width", "neurons"),
           "test loss"],
    "13": ["digit", "8x8", "784", "softmax", ("64-32-10", "[64, 32, 10]"), "confusion matrix",
           "misclassified", "first layer", "weights", "earlystopping", "test"],
}


def lesson_file(number):
    matches = [p for p in NOTEBOOKS if p.name.startswith(f"{number}_")]
    assert len(matches) == 1, f"expected one notebook course/{number}_*.ipynb, found {matches}"
    return matches[0]


def lesson_text(path):
    nb = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in nb.cells).lower()


# ---------------------------------------------------------------- committed clean
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_valid_and_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{path.name}: cell {index} was committed with outputs"
        assert cell.execution_count is None, (
            f"{path.name}: cell {index} was committed with an execution count")
    assert "widgets" not in nb.metadata, f"{path.name} was committed with widget state"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_uses_the_python3_kernel(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_opens_with_the_widget_backend(path):
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, f"{path.name} has no code cell"
    first_line = code[0].source.lstrip().splitlines()[0] if code[0].source.strip() else ""
    assert first_line.strip() == "%matplotlib widget", (
        f"{path.name}: the first code cell must start with %matplotlib widget, "
        f"not {first_line!r}")


# ---------------------------------------------------------------- the lessons
def test_exactly_the_lessons_in_syllabus_order():
    numbers = [p.name[:2] for p in NOTEBOOKS]
    assert numbers == list(LESSONS), f"course/ holds lessons {numbers}, expected {list(LESSONS)}"
    for path in NOTEBOOKS:
        assert links.LESSON_FILE.match(path.name), (
            f"{path.name} should be named NN_short_name.ipynb (lowercase, underscores)")
        words = LESSONS[path.name[:2]]
        words = words if isinstance(words, tuple) else (words,)
        title, _ = links.describe(path)
        assert any(w in path.name or w in title.lower() for w in words), (
            f"{path.name} ({title!r}) should be the lesson about {' / '.join(words)}")


@pytest.mark.parametrize("number", list(COVERAGE))
def test_lesson_teaches_its_syllabus_concepts(number):
    text = lesson_text(lesson_file(number))
    missing = []
    for term in COVERAGE[number]:
        spellings = term if isinstance(term, tuple) else (term,)
        if not any(re.search(rf"(?<![a-z]){re.escape(s)}", text) for s in spellings):
            missing.append(" / ".join(spellings))
    assert not missing, f"lesson {number} never mentions: {', '.join(missing)}"


def test_coverage_list_names_every_lesson():
    assert list(COVERAGE) == list(LESSONS)


# ---------------------------------------------------------------- links
def binder_links(path):
    return re.findall(r"https://mybinder\.org/v2/gh/[^\s)\]]+", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("readme", ["README.md", "course/README.md"])
def test_every_binder_link_opens_an_existing_notebook(readme):
    repository, branch = links.read_config(ROOT / "pyproject.toml")
    found = binder_links(ROOT / readme)
    assert found, f"{readme} has no Binder link"
    for url in found:
        assert url.startswith(f"https://mybinder.org/v2/gh/{repository}/{branch}?"), url
        target = re.search(r"urlpath=lab/tree/(course/[^&\s]+\.ipynb)$", url)
        assert target, f"{url} does not open a notebook of course/"
        assert (ROOT / target.group(1)).is_file(), f"{readme} links to missing {target.group(1)}"


def test_readme_has_the_binder_badge_for_lesson_01():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(links.START)[1].split(links.END)[0]
    badge = re.search(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)]+)\)",
                      section)
    assert badge, "README.md's lesson section has no Binder badge"
    assert badge.group(1).endswith(f"course/{lesson_file('01').name}")


def test_generated_lesson_lists_are_up_to_date():
    stale = links.out_of_date(ROOT)
    assert not stale, (f"out of date: {[str(p.relative_to(ROOT)) for p in stale]}; "
                       "run `python -m tools.links`")


def test_every_lesson_is_listed():
    listed = (ROOT / "course" / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"]({path.name})" in listed, f"course/README.md does not list {path.name}"


# ---------------------------------------------------------------- tools.links itself
def test_config_fallback_parser_agrees_with_tomllib():
    tomllib = pytest.importorskip("tomllib")  # the fallback is for Python 3.10
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    expected = tomllib.loads(text)["tool"]["nnlab"]
    assert links._nnlab_table(text) == expected


def test_config_fallback_parser_reads_only_its_table():
    text = ('[project]\nname = "x"\nrepository = "wrong/one"\n\n'
            '[tool.nnlab]\nrepository = "org/repo"  # comment\nbranch = "dev"\n\n'
            '[tool.other]\nbranch = "wrong"\n')
    assert links._nnlab_table(text) == {"repository": "org/repo", "branch": "dev"}


def test_missing_config_is_a_clear_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.nnlab]\nbranch = "main"\n')
    with pytest.raises(ValueError, match="repository"):
        links.read_config(tmp_path / "pyproject.toml")


def test_titles_and_summaries_are_read_from_the_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib widget"),
                nbformat.v4.new_markdown_cell(
                    "# 03 · Logic gates\n\nOne neuron can be a gate. Which ones?\n\nMore.")]
    path = tmp_path / "03_logic_gates.ipynb"
    nbformat.write(nb, path)
    assert links.describe(path) == ("Logic gates", "One neuron can be a gate.")
    nb.metadata["nnlab"] = {"summary": "From the metadata."}
    nbformat.write(nb, path)
    assert links.describe(path) == ("Logic gates", "From the metadata.")


def test_generation_is_idempotent_and_detects_stale_lists(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.nnlab]\nrepository = "o/r"\nbranch = "b"\n')
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 · The neuron\n\nA first neuron.")]
    nbformat.write(nb, tmp_path / "course" / "01_the_neuron.ipynb")
    for path in (tmp_path / "README.md", tmp_path / "course" / "README.md"):
        path.write_text(f"intro\n\n{links.START}\nold\n{links.END}\n\nrest\n")
    assert len(links.out_of_date(tmp_path)) == 2
    for path, (_, new) in links.generate(tmp_path).items():
        path.write_text(new)
    assert links.out_of_date(tmp_path) == []
    top = (tmp_path / "README.md").read_text()
    assert top.startswith("intro\n") and top.endswith("\nrest\n")
    assert "](course/01_the_neuron.ipynb)" in top
    assert "https://mybinder.org/v2/gh/o/r/b?urlpath=lab/tree/course/01_the_neuron.ipynb" in top
    assert "](01_the_neuron.ipynb)" in (tmp_path / "course" / "README.md").read_text()


# ---------------------------------------------------------------- for a learner on their own
def markdown_cells(path):
    return [c.source for c in nbformat.read(path, as_version=4).cells
            if c.cell_type == "markdown"]


def test_the_glossary_defines_the_notation_every_lesson_uses():
    glossary = (COURSE / "GLOSSARY.md").read_text(encoding="utf-8")
    for symbol in ("$z$", "$b$", r"$\hat y$", "$L$", r"$\eta$", r"$\delta^{(\ell)}$",
                   r"$W^{(\ell)}$"):
        assert symbol in glossary, f"GLOSSARY.md does not define {symbol}"


def test_every_glossary_word_is_used_in_the_lessons_it_names():
    """`- **precision, recall**: ... (06).` sends a student to lesson 06: the word must be there."""
    words = (COURSE / "GLOSSARY.md").read_text(encoding="utf-8").split("\n## Words")[1]
    entries = re.findall(r"^- \*\*(.+?)\*\*(.*?)(?=^- \*\*|\Z)", words, re.S | re.M)
    assert len(entries) > 30, "GLOSSARY.md's word list was not found"
    missing = []
    for name, definition in entries:
        lessons = re.search(r"\((?:lessons? )?(\d\d(?:, \d\d)*)\)\.?\s*$", definition.strip())
        assert lessons, f"GLOSSARY.md: **{name}** does not end with its lesson, e.g. (06)"
        spellings = [s.strip().lower() for s in re.split(r",| / ", re.sub(r"\(.*?\)", "", name))
                     if s.strip()]
        for number in lessons.group(1).split(", "):
            if not any(s in lesson_text(lesson_file(number)) for s in spellings):
                missing.append(f"{name} (lesson {number})")
    assert not missing, f"GLOSSARY.md names lessons that never use these words: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_lesson_states_prerequisites_time_and_links_the_glossary(path):
    first = markdown_cells(path)[0]
    assert "**Before you start:**" in first, f"{path.name}: no prerequisites in the first cell"
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", first), f"{path.name}: no time"
    assert "](GLOSSARY.md)" in first, f"{path.name}: the first cell does not link the glossary"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_try_this_question_has_a_collapsible_answer(path):
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells):
        text = cell.source
        asks = cell.cell_type == "markdown" and "?" in text and re.search(
            r"try this|in the playground\*\*|predict, then check", text, re.I)
        if not asks:
            continue
        following = [c.source for c in cells[index:index + 4] if c.cell_type == "markdown"]
        assert any("<details><summary>Answer" in s for s in following), (
            f"{path.name}: the questions in cell {index} have no <details> answer after them")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_lesson_asks_to_predict_before_checking(path):
    assert any("Predict, then check" in s for s in markdown_cells(path)), (
        f"{path.name} has no predict-then-check moment")


def _check_calls(source):
    import ast
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("check", "check_close") and node.args):
            yield node.args[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_self_checks_read_the_answer_inside_a_function(path):
    """`check(lambda: x == 3, ...)`: a name the student has not defined yet gives a hint, where
    `check(x == 3, ...)` would raise NameError before the check could help."""
    import ast
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or "check" not in cell.source or cell.source.startswith("%"):
            continue
        for first in _check_calls(cell.source):
            assert isinstance(first, ast.Lambda) or (
                isinstance(first, ast.Name) and re.search(rf"def {first.id}\(", cell.source)), (
                f"{path.name}: `{ast.unparse(first)}` is evaluated before check() can catch "
                "an undefined name: pass a lambda")


SETS = sorted((COURSE.parent / "solutions").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS + SETS, ids=IDS + [p.name for p in SETS])
def test_every_table_header_cell_says_what_its_column_holds(path):
    """A screen reader reads a table's header cells (axe's empty-table-header rule): the line
    above a markdown table's |---| line has no empty cell. The browser test finds it too, late."""
    for text in markdown_cells(path):
        lines = text.splitlines()
        for above, rule in zip(lines, lines[1:]):
            if re.fullmatch(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*", rule):
                cells = [c.strip() for c in above.strip().strip("|").split("|")]
                assert all(cells), f"{path.name}: a table header with an empty cell: {above}"
