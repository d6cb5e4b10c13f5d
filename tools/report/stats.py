"""Question statistics of one problem set: how hard each question was, and whether it told
the stronger students from the weaker ones.

The input is a score table: one row per graded student, one column per question (a test cell or
a written answer), ``NaN`` where a written answer still waits for its hand grade. Each statistic
of a question uses the students whose score for it is known.

- difficulty = mean / max (1: everybody had full marks, 0: nobody scored);
- discrimination, two ways:

  - the point-biserial correlation of the question's score with the *rest* of the score (the
    total minus this question, so that a question does not correlate with itself);
  - the upper-minus-lower 27 % difference: the mean score (as a share of the maximum) of the
    27 % of students with the highest totals minus that of the 27 % with the lowest;

- the shares of students with full, partial and zero marks.

A question is flagged when nobody or everybody had full marks, when its discrimination is
negative or near zero (stronger students did no better on it: often a test that checks
something else than the question asks), or when its test cell raised an error for most
students (an error other than a failed assert; the most common message is shown).
`broken_first` orders the flagged questions, the likeliest broken first.

>>> import numpy as np
>>> scores = np.array([[1, 2, 0], [1, 0, 0], [0, 2, 0], [1, 2, 0], [0, 0, 0]], dtype=float)
>>> rows = question_stats(scores, [1, 2, 1], ["q1", "q2", "q3"])
>>> [round(r["difficulty"], 2) for r in rows]
[0.6, 0.6, 0.0]
>>> rows[2]["flags"]
['nobody had full marks']
"""

import math

import numpy as np

__all__ = ["point_biserial", "upper_lower", "question_stats", "broken_first", "summary",
           "NEAR_ZERO", "UPPER_LOWER_SHARE", "MANY_ERRORS", "MIN_STUDENTS"]

#: |discrimination| below this is "near zero": the question does not tell students apart.
NEAR_ZERO = 0.1
#: The share of students in the upper and in the lower group (Kelley's 27 %).
UPPER_LOWER_SHARE = 0.27
#: A test cell that raised an error for at least this share of the students is flagged.
MANY_ERRORS = 0.5
#: Fewer students than this: no discrimination flags (a correlation of 4 numbers says little).
MIN_STUDENTS = 5

# Flags, in the order `broken_first` lists them (the first ones are the likeliest broken).
NOBODY, ERRORS, NEGATIVE, NEAR, EVERYBODY = (
    "nobody had full marks", "errors for most students", "negative discrimination",
    "near-zero discrimination", "everybody had full marks")
SEVERITY = {NOBODY: 0, ERRORS: 1, NEGATIVE: 2, NEAR: 3, EVERYBODY: 4}


def point_biserial(item, rest):
    """Pearson correlation of a question's scores with the rest of the score.

    With a question scored right/wrong this is the point-biserial correlation
    (scipy.stats.pointbiserialr); with partial marks it is the same formula.

    Parameters
    ----------
    item, rest : array-like, shape (n_students,)
        The question's scores and each student's total minus that question.

    Returns
    -------
    float, or None when either is constant (the correlation is undefined) or n < 2.

    >>> round(point_biserial([1, 1, 0, 0], [3, 2, 1, 0]), 4)   # 2 / sqrt(5)
    0.8944
    >>> point_biserial([1, 1, 1], [3, 2, 1]) is None
    True
    """
    item, rest = np.asarray(item, dtype=float), np.asarray(rest, dtype=float)
    if item.shape != rest.shape or item.ndim != 1:
        raise ValueError(f"item and rest must be 1-D of the same length, but got shapes "
                         f"{item.shape} and {rest.shape}")
    if item.size < 2:
        return None
    di, dr = item - item.mean(), rest - rest.mean()
    denominator = math.sqrt(float(di @ di) * float(dr @ dr))
    if denominator <= 1e-12 * max(1.0, item.size):
        return None
    return float(di @ dr) / denominator


def upper_lower(item, totals, max_score, share=UPPER_LOWER_SHARE):
    """Mean score share of the top `share` of students (by total) minus that of the bottom.

    Each group has round(share * n) students (at least one); students tied on the total are
    ranked by their order in the table, so that the result is reproducible.

    Parameters
    ----------
    item, totals : array-like, shape (n_students,)
    max_score : float, the question's maximum
    share : float in (0, 0.5]

    Returns
    -------
    float in [-1, 1], or None with fewer than 2 students or a question worth 0 points.

    >>> upper_lower([1, 1, 0, 0, 0, 1], [9, 8, 5, 4, 1, 0], 1)   # groups of 2
    0.5
    """
    item, totals = np.asarray(item, dtype=float), np.asarray(totals, dtype=float)
    if not 0 < share <= 0.5:
        raise ValueError(f"share must be in (0, 0.5], but got {share!r}")
    if item.size < 2 or not max_score > 0:
        return None
    k = max(1, int(round(share * item.size)))
    order = np.argsort(-totals, kind="stable")      # highest totals first
    upper, lower = item[order[:k]], item[order[-k:]]
    return float(upper.mean() - lower.mean()) / float(max_score)


def question_stats(scores, max_scores, names, errors=None):
    """One row of statistics and flags per question.

    Parameters
    ----------
    scores : array, shape (n_students, n_questions)
        Points per student and question; NaN where a written answer awaits its hand grade.
    max_scores : sequence of float, length n_questions
    names : sequence of str, length n_questions
    errors : dict, optional
        {question name: (students whose test raised an error, students whose test raised an
        error other than AssertionError, most common "Name: message")}. A failed assert is
        the test doing its job; any other error (NameError, TypeError...) in most students'
        test cell suggests the test itself is broken (flag "errors for most students").

    Returns
    -------
    list of dict with keys name, number (1-based), max, n, mean, difficulty, discrimination,
    upper_lower, full, partial, zero (shares), errors, crashes, error_share (crashes / n),
    top_error, flags.
    Statistics that cannot be computed (no student, a constant question) are None.
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2 or scores.shape[1] != len(max_scores) or len(names) != len(max_scores):
        raise ValueError(f"scores must have shape (n_students, {len(max_scores)}) and names "
                         f"{len(max_scores)} entries, but got shape {scores.shape} and "
                         f"{len(names)} names")
    errors = errors or {}
    known_totals = np.nansum(scores, axis=1)
    rows = []
    for j, (name, top) in enumerate(zip(names, max_scores)):
        known = ~np.isnan(scores[:, j])
        item = scores[known, j]
        rest = known_totals[known] - item
        n = int(item.size)
        row = {"name": name, "number": j + 1, "max": float(top), "n": n, "mean": None,
               "difficulty": None, "discrimination": None, "upper_lower": None,
               "full": None, "partial": None, "zero": None, "errors": 0, "crashes": 0,
               "error_share": None,
               "top_error": "", "flags": []}
        failed, crashed, top_error = errors.get(name, (0, 0, ""))
        row["errors"], row["crashes"], row["top_error"] = int(failed), int(crashed), top_error
        if n:
            full = np.isclose(item, top) | (item > top)
            zero = np.isclose(item, 0) & ~full
            row.update(mean=float(item.mean()),
                       difficulty=float(item.mean() / top) if top > 0 else None,
                       discrimination=point_biserial(item, rest),
                       upper_lower=upper_lower(item, known_totals[known], top),
                       full=float(full.mean()), zero=float(zero.mean()),
                       partial=float((~full & ~zero).mean()), error_share=crashed / n)
        row["flags"] = _flags(row)
        rows.append(row)
    return rows


def _flags(row):
    if not row["n"]:
        return []
    flags = []
    if row["full"] == 0:
        flags.append(NOBODY)
    if row["error_share"] is not None and row["error_share"] >= MANY_ERRORS:
        flags.append(ERRORS)
    r = row["discrimination"]
    if r is not None and row["n"] >= MIN_STUDENTS:
        if r < 0 and abs(r) >= NEAR_ZERO:
            flags.append(NEGATIVE)
        elif abs(r) < NEAR_ZERO:
            flags.append(NEAR)
    if row["full"] == 1:
        flags.append(EVERYBODY)
    return flags


def broken_first(rows):
    """The flagged questions, the likeliest broken first.

    Order: nobody had full marks, errors for most students, negative discrimination, near-zero
    discrimination, everybody had full marks; within one kind, the question that most students
    failed first, then notebook order.

    >>> rows = [{"name": "a", "number": 1, "flags": ["near-zero discrimination"], "full": .5},
    ...         {"name": "b", "number": 2, "flags": [], "full": .5},
    ...         {"name": "c", "number": 3, "flags": ["nobody had full marks"], "full": 0.0}]
    >>> [r["name"] for r in broken_first(rows)]
    ['c', 'a']
    """
    flagged = [r for r in rows if r["flags"]]
    return sorted(flagged, key=lambda r: (min(SEVERITY[f] for f in r["flags"]),
                                          r["full"] if r["full"] is not None else 1.0,
                                          r["number"]))


def summary(totals, max_total, pass_mark=0.5):
    """Mean, median, standard deviation, pass rate of the totals (shares of max_total).

    >>> s = summary([10, 5, 0, 8], 10)
    >>> s["mean"], s["median"], s["pass_rate"]
    (5.75, 6.5, 0.75)
    """
    totals = np.asarray(totals, dtype=float)
    if not totals.size:
        return {"n": 0, "mean": None, "median": None, "std": None, "pass_rate": None,
                "max": float(max_total), "pass_mark": pass_mark}
    return {"n": int(totals.size), "mean": float(totals.mean()),
            "median": float(np.median(totals)), "std": float(totals.std()),
            "pass_rate": float(np.mean(totals >= pass_mark * max_total - 1e-9)),
            "max": float(max_total), "pass_mark": pass_mark}
