"""Settings for every pytest run from the repository root.

matplotlib draws off-screen (the Agg backend), chosen before anything imports pyplot: the
doctests of nnlab.widgets build widgets, and no test may open a window.
"""

import matplotlib

matplotlib.use("Agg")
