"""The one thing pyproject.toml cannot say: the package's long description (PyPI's page) is
README.md with its relative links made absolute, pointing into the public repository named in
[tool.nnlab] (links to files at `branch`, images from raw.githubusercontent.com), since a
relative link means nothing on PyPI. Everything else is in pyproject.toml."""

import re
from pathlib import Path

import setuptools
import setuptools.dist

HERE = Path(__file__).resolve().parent
LINK = re.compile(r"(!?)\[([^\]]*)\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def nnlab_settings(pyproject=HERE / "pyproject.toml"):
    """[tool.nnlab]'s string values (read without tomllib, which Python 3.10 lacks)."""
    text = Path(pyproject).read_text()
    section = re.split(r"^\[tool\.nnlab\]$", text, maxsplit=1, flags=re.M)[1].split("\n[")[0]
    return dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', section, re.M))


def absolute_links(markdown, repository, branch):
    """Markdown with relative links and images made absolute on GitHub.

    >>> text = "[guide](INSTRUCTORS.md) ![x](docs/a.png) [web](https://a.b) [up](#start)"
    >>> for link in absolute_links(text, "o/r", "main").split():
    ...     print(link)
    [guide](https://github.com/o/r/blob/main/INSTRUCTORS.md)
    ![x](https://raw.githubusercontent.com/o/r/main/docs/a.png)
    [web](https://a.b)
    [up](#start)
    """
    def absolute(match):
        image, text, target = match.groups()
        target = target.removeprefix("./")
        if image:
            return f"![{text}](https://raw.githubusercontent.com/{repository}/{branch}/{target})"
        return f"[{text}](https://github.com/{repository}/blob/{branch}/{target})"
    return LINK.sub(absolute, markdown)


class Distribution(setuptools.dist.Distribution):
    """Reads pyproject.toml as usual (readme = "README.md"), then makes the links absolute.

    pyproject.toml keeps the readme static, so that a tree without this file (the student
    edition) still builds, with the README as it is."""

    def parse_config_files(self, *args, **kwargs):
        super().parse_config_files(*args, **kwargs)
        settings = nnlab_settings()
        self.metadata.long_description = absolute_links(
            self.metadata.long_description, settings["repository"], settings["branch"])


if __name__ == "__main__":
    setuptools.setup(distclass=Distribution)
