"""The shared widget base: figures that display well in the browser."""

import subprocess
import sys

PROBE = """
import matplotlib
matplotlib.use("module://ipympl.backend_nbagg")
from nnlab.widgets.base import new_figure
fig = new_figure(3, 2)
fig.add_subplot().plot([0, 1], [1, 0])
fig.canvas.draw()          # a frame drawn before any browser view exists
print(repr(fig.canvas._data_url))
"""


def test_frames_drawn_before_the_view_exists_leave_no_broken_image_url():
    """ipympl stores such frames as bare base64 (no "data:" prefix); a browser view built from
    that state shows a broken image and stays blank (matplotlib/ipympl#472). Our figures must
    leave `_data_url` unset or valid. Run in a subprocess: the widget tests use Agg."""
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "None" or out.startswith("'data:image/png;base64,"), out
