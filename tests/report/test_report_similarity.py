"""Similar answers: a planted copy (renamed variables, reordered lines) among independent
correct answers to ps3's `losses` cell ranks first, and no independent pair is listed."""

import itertools

import nbformat
import pytest
from answers import ANSWERS, COPIED_FROM, COPIER, COPY, INDEPENDENT, ORIGINAL

from tools.report.similarity import (
    THRESHOLD,
    fingerprints,
    matching_lines,
    release_names,
    similar_pairs,
)

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def release():
    nb = nbformat.read(ROOT / "assignments" / "ps3_gradient_descent" /
                       "ps3_gradient_descent.ipynb", as_version=4)
    given = next(c.source for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "losses")
    return given, release_names(c.source for c in nb.cells if c.cell_type == "code")


def test_the_planted_copy_ranks_first_and_alone(release):
    given, keep = release
    pairs = similar_pairs(ANSWERS, given, keep)
    assert [(a, b) for _, a, b, _ in pairs] == [tuple(sorted((COPIED_FROM, COPIER)))]
    assert pairs[0][0] >= THRESHOLD


def test_independent_answers_stay_under_the_threshold(release):
    given, keep = release
    everything = similar_pairs(INDEPENDENT, given, keep, threshold=0.0, min_shared=1)
    assert everything, "independent answers share some idioms: the test would prove nothing"
    assert max(sim for sim, *_ in everything) < THRESHOLD


def test_renamed_variables_and_reordered_lines_give_the_same_fingerprints(release):
    given, keep = release
    a = "def mse(y, p):\n    err = p - y\n    sq = err ** 2\n    n = sq.size\n" \
        "    return sq.sum() / n\n"
    b = "def mse(y, p):\n    diff = p - y\n    k = (diff ** 2).size\n    d2 = diff ** 2\n" \
        "    k = d2.size\n    return d2.sum() / k\n"
    # b adds one line, renames everything and swaps two lines: a's prints are all in b's
    assert fingerprints(a, given, keep) <= fingerprints(b, given, keep)


def test_given_code_is_ignored(release):
    given, keep = release
    assert fingerprints(given, given, keep) == set()
    # the whole copy minus what the release gives: the EPSILON line and headers are not there
    assert not any("EPSILON = 1e-7" in g for g in fingerprints(COPY, given, keep))


def test_shared_lines_are_those_to_highlight(release):
    given, keep = release
    (_, a, b, shared), = similar_pairs(ANSWERS, given, keep)
    source = dict(ANSWERS)
    lines = matching_lines(source[COPIER], shared, given, keep)
    text = source[COPIER].splitlines()
    assert any("np.dot(r, r)" in text[n - 1] for n in lines)
    assert not any(text[n - 1].startswith("def ") for n in lines)   # given by the release
    assert matching_lines(ORIGINAL, shared, given, keep)


def test_code_that_does_not_parse_still_compares(release):
    given, keep = release
    broken = COPY.replace("def mse(y, p):", "def mse(y, p:")
    assert fingerprints(broken, given, keep) & fingerprints(ORIGINAL, given, keep)


def test_a_crowd_writing_the_same_code_is_not_a_pair(release):
    """Ten students handing in the instructor's answer: common code, nobody is listed."""
    given, keep = release
    crowd = {f"s{i}": INDEPENDENT["ines"] for i in range(10)}
    assert similar_pairs({**crowd, **INDEPENDENT}, given, keep) == []
    for a, b in itertools.combinations(sorted(INDEPENDENT), 2):
        assert fingerprints(INDEPENDENT[a], given, keep) != fingerprints(INDEPENDENT[b], given,
                                                                         keep)
