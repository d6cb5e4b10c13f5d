"""Question statistics against hand computations and scipy (small cases, no course needed)."""

import numpy as np
import pytest
from scipy import stats as scipy_stats

from tools.report.stats import (
    EVERYBODY,
    NEAR,
    NEGATIVE,
    NOBODY,
    broken_first,
    point_biserial,
    question_stats,
    summary,
    upper_lower,
)


def test_point_biserial_by_hand():
    # item 1 1 0 0, rest 3 2 1 0: deviations (.5 .5 -.5 -.5) and (1.5 .5 -.5 -1.5),
    # sum of products 2, sums of squares 1 and 5: r = 2 / sqrt(5)
    assert point_biserial([1, 1, 0, 0], [3, 2, 1, 0]) == pytest.approx(2 / np.sqrt(5))


@pytest.mark.parametrize("seed", range(5))
def test_point_biserial_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    item = (rng.random(30) < 0.6).astype(float)
    rest = rng.integers(0, 20, size=30) + 5 * item
    expected = scipy_stats.pointbiserialr(item, rest).statistic
    assert point_biserial(item, rest) == pytest.approx(expected, abs=1e-12)


def test_point_biserial_undefined_for_a_constant_question():
    assert point_biserial([1, 1, 1, 1], [4, 3, 2, 1]) is None
    assert point_biserial([1, 0, 1, 0], [2, 2, 2, 2]) is None
    with pytest.raises(ValueError, match="same length"):
        point_biserial([1, 0], [1, 2, 3])


def test_upper_lower_by_hand():
    # 10 students: groups of round(2.7) = 3. Totals rank the students 0..9 from the top;
    # the top three scored 2, 2, 1 of 2 points, the bottom three 0, 1, 0.
    item = [2, 2, 1, 1, 0, 2, 1, 0, 1, 0]
    totals = [20, 18, 15, 14, 12, 11, 9, 5, 3, 1]
    expected = ((2 + 2 + 1) / 3 - (0 + 1 + 0) / 3) / 2
    assert upper_lower(item, totals, 2) == pytest.approx(expected)
    with pytest.raises(ValueError, match="share"):
        upper_lower(item, totals, 2, share=0.6)


def test_question_stats_by_hand():
    # four students, three questions worth 1, 2 and 3 points; a NaN is a written answer
    # still waiting for its hand grade
    scores = np.array([[1, 2, 3],
                       [1, 1, 0],
                       [0, 0, np.nan],
                       [1, 2, 1]], dtype=float)
    q1, q2, q3 = question_stats(scores, [1, 2, 3], ["a", "b", "c"])
    assert q1["mean"] == pytest.approx(0.75) and q1["difficulty"] == pytest.approx(0.75)
    assert (q1["full"], q1["partial"], q1["zero"]) == (0.75, 0.0, 0.25)
    assert (q2["full"], q2["partial"], q2["zero"]) == (0.5, 0.25, 0.25)
    assert q2["difficulty"] == pytest.approx(5 / 8)
    # q3: only the three graded students count; rest scores are the totals without q3
    assert q3["n"] == 3 and q3["mean"] == pytest.approx(4 / 3)
    assert q3["discrimination"] == pytest.approx(
        scipy_stats.pearsonr([3, 0, 1], [3, 2, 3]).statistic)
    # q1's rest score: 5, 1, 0, 3 (q2 + q3, the NaN counting as nothing yet)
    assert q1["discrimination"] == pytest.approx(
        scipy_stats.pearsonr([1, 1, 0, 1], [5, 1, 0, 3]).statistic)


def test_flags_and_broken_first():
    rng = np.random.default_rng(0)
    ability = rng.normal(size=60)
    good = (ability + 0.3 * rng.normal(size=60) > 0).astype(float)
    reversed_ = (ability < 0).astype(float)            # the weaker students get it right
    noise = (rng.random(60) < 0.5).astype(float)       # unrelated to ability
    scores = np.column_stack([good, (ability > 0.2).astype(float), np.zeros(60), reversed_,
                              np.ones(60), noise, (ability > -0.5).astype(float)])
    names = ["good", "good2", "broken", "reversed", "easy", "noise", "good3"]
    errors = {"broken": (60, 60, "NameError: name 'x' is not defined (60x)")}
    rows = question_stats(scores, [1] * 7, names, errors)
    by_name = {r["name"]: r for r in rows}
    assert NOBODY in by_name["broken"]["flags"]
    assert "errors for most students" in by_name["broken"]["flags"]
    assert NEGATIVE in by_name["reversed"]["flags"]
    assert by_name["easy"]["flags"] == [EVERYBODY]
    assert not by_name["good"]["flags"]
    # the noise question's correlation is small here; flagged near zero only if it is
    r = by_name["noise"]["discrimination"]
    assert (NEAR in by_name["noise"]["flags"]) == (abs(r) < 0.1)
    order = [r["name"] for r in broken_first(rows)]
    assert order[0] == "broken" and order[1] == "reversed" and order[-1] == "easy"


def test_a_failed_assert_is_not_a_broken_test():
    """Most students failing an assert is a hard question, not an erroring test."""
    scores = np.array([[0], [0], [1], [0], [0], [1]], dtype=float)
    row, = question_stats(scores, [1], ["hard"], {"hard": (4, 0, "AssertionError:  (4x)")})
    assert "errors for most students" not in row["flags"]


def test_summary():
    s = summary([20, 10, 9.5, 0], 20, pass_mark=0.5)
    assert s["mean"] == pytest.approx(9.875) and s["median"] == pytest.approx(9.75)
    assert s["pass_rate"] == pytest.approx(0.5)
    assert summary([], 20)["mean"] is None


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="scores must have shape"):
        question_stats(np.zeros((3, 2)), [1, 1, 1], ["a", "b", "c"])
