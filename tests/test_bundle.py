"""packaging/build.sh builds the PyInstaller bundle and its smoke test passes (see
packaging/smoke_test.py for what that covers: import, search, annotate, briefings, backup and
the app's screenshot, all from the frozen programs).

It takes about a minute and a half from nothing here (a build environment installed from the
package index, PyInstaller, the smoke test), so it is marked slow: `pytest -m "not slow"`
leaves it out of a quick local run; CI runs it, as it runs everything.
"""

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent.parent


@pytest.mark.slow
def test_build_script_makes_a_bundle_that_passes_its_smoke_test(tmp_path):
    result = subprocess.run(
        ["bash", str(PROJECT / "packaging" / "build.sh"), "--dist", str(tmp_path / "dist"),
         "--python", sys.executable],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "smoke test passed" in result.stdout
