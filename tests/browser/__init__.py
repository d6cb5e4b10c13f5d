"""Browser tests: the course in a real JupyterLab driven by Chromium (see conftest.py)."""
