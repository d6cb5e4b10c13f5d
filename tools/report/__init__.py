"""What the grades say: a report per problem set, after `make grade`.

    make report SET=ps3_gradient_descent      # = python -m tools.report ps3_gradient_descent

writes `reports/<set>/` (not committed: it names students):

- `report.html`, one self-contained page: the score distribution, mean, median and pass rate;
  the questions to check first (likely broken or unfair); statistics per question (difficulty,
  discrimination, shares with full / partial / zero marks, the most common error); integrity
  flags, ungraded, missing and late students; similar submissions with their code side by side;
- `summary.csv`, `questions.csv`, `scores-by-question.csv` (for the LMS gradebook: one column
  per question) and `similar.csv`.

The parts: `data` reads the course, `stats` computes the question statistics, `similarity`
finds similar answers, `page` and `tables` write the page and the CSV files.
"""

import datetime
from pathlib import Path

from tools.report import data as _data
from tools.report import page, similarity, stats, tables

__all__ = ["build_report", "similar_answers", "ReportError", "REPORTS"]

ReportError = _data.ReportError
#: Where the reports go, relative to the course root.
REPORTS = "reports"
FILES = {"summary": "summary.csv", "questions": "questions.csv",
         "lms": "scores-by-question.csv", "similar": "similar.csv"}


def similar_answers(data):
    """[(answer cell, similarity, a, b, shared, a's lines, b's lines)], most similar first."""
    found = []
    for question, answers in data.answers.items():
        given = data.given.get(question, "")
        for sim, a, b, shared in similarity.similar_pairs(answers, given, data.keep_names):
            found.append((question, sim, a, b, shared,
                          similarity.matching_lines(answers[a], shared, given, data.keep_names),
                          similarity.matching_lines(answers[b], shared, given, data.keep_names)))
    found.sort(key=lambda p: (-p[1], -len(p[4]), p[0], p[2], p[3]))
    return found


def build_report(course_dir, assignment, out_dir=None, pass_mark=0.5, now=None):
    """Read one graded problem set and write its report.

    Parameters
    ----------
    course_dir : path, the course root (gradebook.db, assignments/, submitted/, autograded/)
    assignment : str, the problem set
    out_dir : path, optional, default <course_dir>/reports/<assignment>
    pass_mark : float in [0, 1], the share of the points needed to pass
    now : datetime, optional (the time printed on the page)

    Returns
    -------
    dict with "html" (the page's path), "csv" ({label: path}), "stats" (one dict per
    question), "broken" (the flagged questions, likeliest broken first), "pairs" (the
    similar answers), "summary" and "data" (the ClassData read).
    """
    if not 0 <= pass_mark <= 1:
        raise ValueError(f"pass_mark must be a share of the points in [0, 1], but got "
                         f"{pass_mark!r}")
    course_dir = Path(course_dir)
    out_dir = Path(out_dir) if out_dir else course_dir / REPORTS / assignment
    data = _data.read_class(course_dir, assignment)
    rows = stats.question_stats(data.scores, data.max_scores, [q.name for q in data.questions],
                                data.errors)
    broken = stats.broken_first(rows)
    summary = stats.summary(data.totals, sum(data.max_scores), pass_mark)
    pairs = similar_answers(data)
    paths = {label: out_dir / name for label, name in FILES.items()}
    tables.write_csv(paths["summary"], tables.summary_rows(data))
    tables.write_csv(paths["questions"], tables.question_rows(rows))
    tables.write_csv(paths["lms"], tables.lms_rows(data))
    tables.write_csv(paths["similar"], tables.similar_rows([p[:5] for p in pairs]))
    generated = (now or datetime.datetime.now()).strftime("%Y-%m-%d %H:%M")
    text = page.render(data, summary, rows, broken, pairs, FILES, generated)
    html_path = out_dir / "report.html"
    from tools.collect_report import write_atomic

    write_atomic(html_path, text.encode("utf-8"))
    return {"html": html_path, "csv": paths, "stats": rows, "broken": broken, "pairs": pairs,
            "summary": summary, "data": data}
