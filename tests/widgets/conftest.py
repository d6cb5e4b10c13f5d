"""Widget tests run in plain Python: no kernel, no browser, the Agg backend.

The backend is chosen here, before any test module imports matplotlib.pyplot (directly or
through a widget), so no window is ever opened.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every pyplot figure a test made (widget figures are not pyplot's), so figures
    do not pile up across tests."""
    yield
    plt.close("all")
