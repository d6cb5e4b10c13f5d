"""python -m tools.report <set> [--course-dir DIR] [--to DIR] [--pass-mark 0.5]"""

import argparse
import sys
import time

from tools.release import ROOT
from tools.report import REPORTS, ReportError, build_report


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.report",
        description="What the grades say: one HTML page and CSV files for a graded problem set.")
    parser.add_argument("assignment", help="the problem set, e.g. ps3_gradient_descent")
    parser.add_argument("--course-dir", default=str(ROOT), help="course root (default: repo)")
    parser.add_argument("--to", help=f"output folder (default: {REPORTS}/<set>/)")
    parser.add_argument("--pass-mark", type=float, default=0.5,
                        help="share of the points needed to pass (default 0.5)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        result = build_report(args.course_dir, args.assignment, args.to, args.pass_mark)
    except (ReportError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    s, broken = result["summary"], result["broken"]
    mean = "-" if s["mean"] is None else f"{s['mean']:.1f}"
    print(f"{args.assignment}: {s['n']} graded, mean {mean} of {s['max']:g}, "
          f"{len(broken)} question(s) to check, {len(result['pairs'])} similar pair(s)")
    for row in broken[:5]:
        print(f"  CHECK Q{row['number']} {row['name']}: {'; '.join(row['flags'])}")
    print(f"report: {result['html']} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
