"""Smoke test of a built bundle: the frozen programs start and every part of the app that loads
something at run time (resources, importers, the engine, templates, Qt plugins) works.

    python packaging/smoke_test.py [dist/briefing-app]

packaging/build.sh runs it after each build, with the build environment's Python (it needs
PySide6 to look at the screenshot). The frozen programs run in an empty home, data and config
folder, never on your own archive or settings. Exit status 0 when everything passed.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXE = ".exe" if sys.platform == "win32" else ""
# Qt libraries that must not be in the bundle (the spec leaves their modules out).
UNWANTED_QT = ["WebEngine", "Qt6Qml", "Qt6Quick", "Multimedia", "Qt63D", "Qt6Pdf", "Qt6Network",
               "Qt6Charts", "Qt6VirtualKeyboard", "Qt6Designer"]  # fmt: skip
SCREENSHOT_SIZE = (1200, 800)

# One small file per import format, each with a word found nowhere else.
FIXTURES = {
    "treaty.txt": """Ministers agree on river treaty at Alderbrook talks
4 September 2025
By Ana Lima

GENEVA — Foreign ministers of France and Germany agreed on Thursday to a treaty on the
shared river, after two days of talks at Alderbrook.

"This is a turning point for the whole region," said Emmanuel Macron, the President of France.

Germany's foreign minister said the deal would be signed next month in Berlin.
""",
    "page.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Port of Kestrelford reopens</title>
<meta property="og:title" content="Port of Kestrelford reopens after storm">
<meta name="author" content="Mia Stone"><meta name="date" content="2025-09-05"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Port of Kestrelford reopens after storm</h1>
<p>The port of Kestrelford reopened on Friday after a storm closed it for three days, the
harbour authority said in a statement, and the first ferries left on time.</p>
<p>Shipping companies said the delays had cost them several million euros, and the harbour
authority promised a review of its storm plans before the winter season begins.</p>
<p>“We are back to normal,” the harbour master told reporters at the quay on Friday.</p>
</article><footer>Copyright The Coast Paper</footer></body></html>
""",
    "feed.rss": """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Coast Wire</title><link>https://coast.example/</link>
<description>News</description>
<item><title>Marlowgate council approves budget</title><link>https://coast.example/a</link>
<pubDate>Mon, 08 Sep 2025 09:00:00 GMT</pubDate>
<description>The council of Marlowgate approved its budget for next year on Monday.</description>
</item>
<item><title>Rail strike ends</title><link>https://coast.example/b</link>
<pubDate>Tue, 09 Sep 2025 09:00:00 GMT</pubDate>
<description>Rail workers ended their strike after a new pay offer on Tuesday.</description>
</item></channel></rss>
""",
    "notes.md": """---
title: Thistlecombe festival draws record crowds
date: 2025-09-10
source: Valley Times
tags: [culture]
---

The **Thistlecombe** festival drew a record crowd of 40,000 people this weekend.

| day | visitors |
| --- | --- |
| Saturday | 22,000 |
| Sunday | 18,000 |
""",
    "lines.jsonl": json.dumps(
        {
            "title": "Quillhaven opens new library",
            "body": "The town of Quillhaven opened a new public library on Wednesday.",
            "url": "https://valley.example/library",
            "published": "2025-09-11",
            "source": "Valley Times",
        }
    )
    + "\n",
}
SEARCH_WORDS = ["alderbrook", "kestrelford", "marlowgate", "thistlecombe", "quillhaven"]


class SmokeTestFailed(Exception):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise SmokeTestFailed(message)


def version() -> str:
    tree = ast.parse((ROOT / "briefing_app" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__version__":
            return str(ast.literal_eval(node.value))
    raise SmokeTestFailed("no __version__ in briefing_app/__init__.py")


class Bundle:
    def __init__(self, folder: Path, scratch: Path) -> None:
        self.folder = folder
        self.scratch = scratch
        home = scratch / "home"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"BRIEFING_APP_DB", "PYTHONPATH", "PYTHONHOME"}
        }
        self.env |= {
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "USERPROFILE": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "APPDATA": str(home / "AppData" / "Roaming"),
            "LOCALAPPDATA": str(home / "AppData" / "Local"),
        }
        for key in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            Path(self.env[key]).mkdir(parents=True, exist_ok=True)
        if sys.platform == "win32":
            # platformdirs asks Windows for the user's folders, whatever the environment says:
            # name the default archive, so the user's own is never opened.
            self.env["BRIEFING_APP_DB"] = str(scratch / "default.db")

    def run(self, *args: str, program: str = "briefing-app", timeout: float = 120) -> str:
        command = [str(self.folder / f"{program}{EXE}"), *args]
        started = time.monotonic()
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env,
            cwd=self.scratch,
            timeout=timeout,
        )
        shown = " ".join([program, *args])
        if result.returncode != 0:
            raise SmokeTestFailed(
                f"`{shown}` exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        print(f"  ran `{shown}` ({time.monotonic() - started:.1f} s)")
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json"))


def check_contents(folder: Path) -> None:
    check((folder / f"briefing-app{EXE}").is_file(), f"no briefing-app{EXE} in {folder}")
    check((folder / f"briefing-app-gui{EXE}").is_file(), f"no briefing-app-gui{EXE} in {folder}")
    unwanted = [
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if any(name in path.name for name in UNWANTED_QT)
    ]
    check(not unwanted, f"Qt modules the app does not use are in the bundle: {unwanted[:10]}")
    resources = folder / "_internal" / "briefing_app" / "resources"
    for source in (ROOT / "resources").rglob("*"):
        if source.is_file() and "__pycache__" not in source.parts and source.suffix != ".py":
            shipped = resources / source.relative_to(ROOT / "resources")
            check(shipped.is_file(), f"resource not in the bundle: {shipped}")
    print("ok: both programs, every resource, no unused Qt module")


def check_commands(app: Bundle) -> None:
    expected = f"briefing-app, version {version()}"
    for program in ("briefing-app", "briefing-app-gui"):
        printed = app.run("--version", program=program).strip()
        check(printed == expected, f"{program} --version printed {printed!r}, not {expected!r}")
    print(f"ok: --version prints {expected!r}")

    files = app.scratch / "files"
    files.mkdir()
    for name, text in FIXTURES.items():
        (files / name).write_text(text, encoding="utf-8")
    db = str(app.scratch / "cli.db")
    report = app.json("import", str(files), "--db", db)
    check(report["failed"] == [], f"import failed: {report['failed']}")
    check(report["summary"]["imported"] == 6, f"import: {report['summary']}")
    samples = [path for path in (ROOT / "resources" / "samples").iterdir() if path.is_file()]
    listed = app.json("list", "--tag", "sample", "--db", db)
    check(len(listed) == len(samples), f"{len(listed)} samples loaded, {len(samples)} shipped")
    print("ok: import of text, HTML, RSS, markdown and JSON Lines; the samples loaded")

    for word in SEARCH_WORDS:
        found = app.json("search", word, "--db", db)
        check(found["total"] == 1, f"search {word}: {found['total']} results, not 1")
    found = app.json("search", '"special alliance"', "--db", db)
    check(found["total"] >= 1 and found["hits"][0]["marks"], "search in the samples failed")
    print("ok: search finds each imported format and the samples, with marks")

    annotated = json.loads(app.run("annotate", str(files / "treaty.txt"), "--db", db))
    actors = {actor["name"] for actor in annotated["actors"]}
    check({"France", "Germany", "Emmanuel Macron"} <= actors, f"annotate found {actors}")
    speakers = {quote["speaker"] for quote in annotated["quotes"]}
    check("Emmanuel Macron" in speakers, f"annotate: quotes by {speakers}")
    check(annotated["dates"], "annotate found no date")
    check(app.json("actors", "list", "--db", db), "actors list is empty")
    print("ok: annotate finds actors (gazetteer), the quote's speaker and dates")

    bundled = {
        path.name.removesuffix(".md.j2")
        for path in (ROOT / "resources" / "templates").glob("*.md.j2")
        if not path.name.startswith("_")
    }
    templates = {item["name"] for item in app.json("templates") if item["origin"] == "bundled"}
    check(templates == bundled, f"templates: {templates}, shipped {bundled}")
    for suffix, start in (("md", b"# "), ("html", b"<!DOCTYPE html"), ("pdf", b"%PDF-")):
        out = app.scratch / f"briefing.{suffix}"
        app.run("brief", "--all", "--title", "Smoke test", "--out", str(out), "--db", db)
        check(out.read_bytes().lstrip().startswith(start), f"{out.name} starts wrongly")
    check(b"Smoke test" in (app.scratch / "briefing.md").read_bytes(), "no title in briefing.md")
    print("ok: templates listed; briefings written as markdown, HTML and PDF")

    backup = app.scratch / "backup.db"
    app.run("backup", str(backup), "--db", db)
    counts = app.json("stats", "--db", str(backup))
    check(counts["articles"] == len(samples) + 6, f"backup holds {counts['articles']} articles")
    print("ok: backup")


def check_screenshot(app: Bundle) -> None:
    """The desktop app, through the program the menu entry starts, on the default archive of
    an empty data folder: it is made, the samples go in, and the window is drawn."""
    shot = app.scratch / "window.png"
    width, height = SCREENSHOT_SIZE
    app.run("gui", "--screenshot", str(shot), "--size", f"{width}x{height}",
            program="briefing-app-gui")  # fmt: skip
    check(shot.is_file() and shot.stat().st_size > 20_000, f"no screenshot, or tiny: {shot}")
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    check(not image.isNull(), "the screenshot is not a readable PNG")
    check((image.width(), image.height()) == SCREENSHOT_SIZE, f"screenshot {image.size()}")
    colours = {
        image.pixel(x, y) for x in range(0, width, 7) for y in range(0, height, 7)
    }  # fmt: skip
    check(len(colours) > 40, f"the screenshot has only {len(colours)} colours: blank?")
    stats = app.json("stats")
    data_home = Path(app.env["XDG_DATA_HOME"]).resolve()
    if sys.platform.startswith("linux"):
        check(
            Path(stats["archive"]).resolve().is_relative_to(data_home),
            f"default archive {stats['archive']} is not in the data folder",
        )
    check(stats["articles"] > 0, "the app's first start did not load the samples")
    print(f"ok: screenshot {width}x{height}, {shot.stat().st_size // 1024} KiB, "
          f"{len(colours)} colours; the samples in a new default archive")  # fmt: skip


def check_linux_install(folder: Path, app: Bundle) -> None:
    prefix = app.scratch / "prefix"
    subprocess.run(
        ["sh", str(folder / "install.sh"), "--prefix", str(prefix)],
        check=True,
        capture_output=True,
        env=app.env,
    )
    desktop = prefix / "share" / "applications" / "app.briefing.Briefing.desktop"
    check(desktop.is_file(), "install.sh installed no .desktop file")
    check(
        (prefix / "share/icons/hicolor/scalable/apps/app.briefing.Briefing.svg").is_file(),
        "install.sh installed no icon",
    )
    linked = subprocess.run(
        [str(prefix / "bin" / "briefing-app-gui"), "--version"],
        capture_output=True,
        text=True,
        env=app.env,
    )
    check(linked.returncode == 0 and version() in linked.stdout, "installed program fails")
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(desktop)], capture_output=True, text=True
        )
        check(result.returncode == 0, f"installed .desktop: {result.stdout}{result.stderr}")
    subprocess.run(
        ["sh", str(folder / "install.sh"), "--prefix", str(prefix), "--uninstall"],
        check=True,
        capture_output=True,
        env=app.env,
    )
    left = [path for path in prefix.rglob("*") if path.is_file() or path.is_symlink()]
    check(not left, f"uninstall left {left[:5]}")
    print("ok: install.sh installs (program, menu entry, icons) and uninstalls")


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "briefing-app").resolve()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="briefing-smoke-") as scratch:
        app = Bundle(folder, Path(scratch))
        try:
            check_contents(folder)
            check_commands(app)
            check_screenshot(app)
            if sys.platform.startswith("linux"):
                check_linux_install(folder, app)
        except (SmokeTestFailed, subprocess.SubprocessError) as error:
            print(f"smoke test FAILED: {error}", file=sys.stderr)
            return 1
    print(f"smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
