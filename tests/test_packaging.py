"""The wheel carries the resources, and an installed copy finds them through importlib."""

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent.parent


@pytest.mark.slow
def test_installed_wheel_reads_its_resources(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(PROJECT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("briefing_app-*.whl"))
    import zipfile

    shipped = set(zipfile.ZipFile(wheel).namelist())
    resources = PROJECT / "resources"
    for path in resources.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"briefing_app/resources/{path.relative_to(resources)}" in shipped, path
    assert not any("__pycache__" in name for name in shipped)

    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # Dependencies come from this environment's site-packages, added as a plain path so the
    # editable install of the checkout (a .pth hook there) is not picked up.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    where = subprocess.run(
        [str(python), "-c", "import briefing_app; print(briefing_app.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(str(fresh)), where

    result = subprocess.run(
        [
            str(fresh / "bin" / "briefing-app"),
            "search",
            "--db",
            str(tmp_path / "a.db"),
            '"special alliance"',
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Putin and Kim Jong Un Hold Surprise Beijing Summit" in result.stdout


def test_every_package_is_listed_in_pyproject():
    import tomllib

    listed = set(
        tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(PROJECT).parts)
        for init in (PROJECT / "briefing_app").rglob("__init__.py")
    } | {"briefing_app.resources"}
    assert found == listed
