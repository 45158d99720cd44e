"""The HTML report opens offline in a real browser and shows its charts: headless
Chromium (Debian's package) takes a screenshot, and the page's charts are checked."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from frontdoor.console.cli import main
from tests.mi.test_report import MARCH


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed here (apt-get install chromium)")


def test_the_html_report_shows_its_charts_in_chromium(tmp_path):
    browser = chromium()
    db = f"sqlite:///{tmp_path / 'mi.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade", "--db", db]).exit_code == 0
    assert runner.invoke(main, ["contacts", "import", str(MARCH), "--db", db]).exit_code == 0
    page = tmp_path / "report.html"
    result = runner.invoke(
        main,
        [
            "mi",
            "report",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--format",
            "html",
            "--out",
            str(page),
            "--db",
            db,
        ],
    )
    assert result.exit_code == 0, result.output
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 20_000  # a page with drawings on it
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    for chart in (
        "Demand by hour and day",
        "First-contact resolution by category",
        "Failure demand Pareto",
        "Failure demand share by week",
        "Top destinations",
        "Unmet need",
    ):
        assert f'aria-label="{chart}' in dom, chart
    if os.environ.get("FRONTDOOR_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["FRONTDOOR_KEEP_SCREENSHOT"])
