"""The wheel carries the resources, and an installed copy finds them through importlib; its
extraction engine is compiled (mypyc, see setup.py) and finds exactly what the source does."""

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from briefing_app.core.extract import RuleEngine
from briefing_app.core.extract.rows import extraction_rows
from tests.extraction.gold_loader import load_all

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
    # This environment has mypyc (the test extra's mypy) and a C compiler, as CI has.
    compiled = {name for name in shipped if name.endswith((".so", ".pyd"))}
    assert any(name.startswith("briefing_app_engine__mypyc.") for name in compiled), compiled
    assert any(name.startswith("briefing_app/core/extract/mentions.") for name in compiled)

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

    texts = [article.text for article in load_all()] + [
        path.read_text(encoding="utf-8") for path in sorted(SAMPLES.iterdir())
    ]
    found = subprocess.run(
        [str(python), "-c", COMPILED_ROWS],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    compiled_rows = json.loads(found)
    assert compiled_rows.pop("engine_file").startswith(str(fresh))
    interpreted = RuleEngine()
    rows = json.loads(json.dumps([extraction_rows(interpreted.extract(text)) for text in texts]))
    assert compiled_rows == {"rows": rows, "from_worker": rows[:3]}


SAMPLES = PROJECT / "resources" / "samples"
# The installed engine's rows for texts given as JSON, also through a worker process (which
# gets the registry pickled; the pool's in-process stand-in refuses, so the worker must
# answer), with the file the engine was loaded from. The writer would extract the chunks
# itself until the worker process is started, and take a chunk back while it starts: the
# script waits for the process, then gives it 5 s to begin the chunk.
COMPILED_ROWS = """
import json, sys, time
from briefing_app.core.extract import RuleEngine, mentions
from briefing_app.core.extract.rows import extraction_rows
from briefing_app.core.extraction_pool import ExtractionPool

def not_here(text, published):
    raise RuntimeError("the worker process did not answer")

if __name__ == "__main__":
    texts = json.load(sys.stdin)
    engine = RuleEngine()
    pool = ExtractionPool(engine.registry, not_here, lambda: time.sleep(5))
    pool._starting.join()
    tickets = [pool.submit(text, None) for text in texts[:3]]
    pool.flush()
    from_worker = [pool.result(ticket) for ticket in tickets]
    pool.close()
    rows = [extraction_rows(engine.extract(text)) for text in texts]
    print(json.dumps({"engine_file": mentions.__file__, "rows": rows, "from_worker": from_worker}))
"""


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
