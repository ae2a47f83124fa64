"""The extraction engine (briefing_app/core/extract) compiled with mypyc where it can be.

The same source, compiled to C, runs about 1.6 times as fast, which an import with extraction
needs (docs/PERFORMANCE.md). Everything else is in pyproject.toml. The engine stays plain
Python, working the same only slower, when:
- the install is editable (compiled modules next to the source would hide later edits of it);
- BRIEFING_PURE_PYTHON is set to a non-empty value;
- mypyc or a C compiler is missing, or compiling fails (a warning says why).
"""

import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ENGINE = Path("briefing_app", "core", "extract")
COMPILED_GROUP = "briefing_app_engine"
"""The name of the shared library mypyc builds for the engine's modules (a top-level module:
packaging/briefing.spec names it for PyInstaller)."""


def engine_sources() -> list[str]:
    # __init__ stays plain Python: it only re-exports the engine's names.
    return sorted(str(path) for path in ENGINE.glob("*.py") if path.name != "__init__.py")


class BuildEngine(build_ext):
    """Compiles the engine with mypyc, or leaves it as Python when it cannot."""

    def finalize_options(self) -> None:
        if self.distribution.ext_modules == [PLACEHOLDER]:
            self.distribution.ext_modules = self._engine_extensions()
        super().finalize_options()

    def _engine_extensions(self) -> list[Extension]:
        if self.editable_mode:
            return []
        try:
            from mypyc.build import mypycify

            return mypycify(engine_sources(), group_name=COMPILED_GROUP)
        except (Exception, SystemExit) as error:  # mypyc exits on a type error
            _plain(f"mypyc could not compile it ({type(error).__name__}: {error})")
            return []

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:
            self._remove_built()
            _plain(f"it could not be compiled ({type(error).__name__}: {error})")

    def _remove_built(self) -> None:
        """Half a compiled engine would not import: all of it goes, or none."""
        for extension in self.extensions:
            Path(self.get_ext_fullpath(extension.name)).unlink(missing_ok=True)


def _plain(why: str) -> None:
    print(
        f"briefing-app: the extraction engine is installed as plain Python because {why}; "
        "it works the same, about 1.6 times slower",
        file=sys.stderr,
    )


def compiling() -> bool:
    """Whether to try (a plain-Python wheel is then tagged for any platform)."""
    if os.environ.get("BRIEFING_PURE_PYTHON"):
        _plain("BRIEFING_PURE_PYTHON is set")
        return False
    return True


PLACEHOLDER = Extension(f"{COMPILED_GROUP}_placeholder", sources=[])
"""What setup() is given until `BuildEngine` knows what it compiles: it makes setuptools run
that step, and tag the wheel for this platform and Python, without running mypyc (which takes
half a minute) for every other step of a build."""

setup(
    ext_modules=[PLACEHOLDER] if compiling() else [],
    cmdclass={"build_ext": BuildEngine},
)
