"""The files around the book that other tools read are valid by those tools' own schemas (issue 25):
GitHub's workflow schema for ``.github/workflows/``, Citation File Format 1.2.0 for ``CITATION.cff``
(GitHub's "Cite this repository" and Zenodo read it), and the ``pyproject.toml`` specifications.

The schemas are the ones ``check-jsonschema`` vendors (offline); ``validate-pyproject`` checks
``pyproject.toml``. Both run as ``python -m`` of the test's own interpreter, not by name on PATH.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted(p for p in (ROOT / ".github" / "workflows").iterdir() if p.suffix in {".yml", ".yaml"})


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    """``check-jsonschema`` with one of its vendored schemas, without the network."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_every_workflow_validates_against_githubs_workflow_schema():
    assert {p.name for p in WORKFLOWS} >= {"book.yml", "linkcheck.yml"}
    result = check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_check_fails_on_a_workflow_github_cannot_parse(tmp_path):
    """The check above can fail: an unquoted ': ' in a step's name (book.yml's line 23 once)."""
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / ".github/workflows/book.yml").read_text(encoding="utf-8").replace(
        '"System packages for the tests (no npm: axe-core comes from PyPI)"',
        "System packages for the tests (no npm: axe-core comes from PyPI)"), encoding="utf-8")
    result = check_jsonschema("vendor.github-workflows", broken)
    assert result.returncode != 0
    assert "mapping values are not allowed here" in result.stdout + result.stderr


def test_citation_cff_validates_against_cff_1_2_0():
    result = check_jsonschema("vendor.citation-file-format", ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cff_check_fails_on_a_type_cff_does_not_have(tmp_path):
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken = tmp_path / "CITATION.cff"
    broken.write_text(text.replace("  - type: generic\n", "  - type: book-section\n", 1), encoding="utf-8")
    assert broken.read_text(encoding="utf-8") != text
    result = check_jsonschema("vendor.citation-file-format", broken)
    assert result.returncode != 0
    assert "'book-section' is not one of" in result.stdout


@pytest.mark.parametrize("text, valid", [(None, True), ('[project]\nname = "maskbook"\nversion = 3\n', False)])
def test_pyproject_toml_validates(tmp_path, text, valid):
    path = ROOT / "pyproject.toml" if text is None else tmp_path / "pyproject.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    env = {**os.environ, "VALIDATE_PYPROJECT_NO_NETWORK": "1"}  # trove classifiers: no download
    result = subprocess.run([sys.executable, "-m", "validate_pyproject", str(path)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert (result.returncode == 0) is valid, result.stdout + result.stderr
