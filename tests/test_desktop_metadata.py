"""The desktop integration in packaging/ validates and agrees with the app: one application id
(APP_ID, set at start-up with setDesktopFileName) in the .desktop file, the AppStream metainfo
and the icon names; programs that exist; and a PyInstaller spec that ships every resource."""

import ast
import configparser
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import briefing_app

PROJECT = Path(__file__).parent.parent
PACKAGING = PROJECT / "packaging"
ICONS = PACKAGING / "icons"
SPEC = PACKAGING / "briefing.spec"
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))


def constant(path: Path, name: str) -> object:
    """`NAME = <literal>` at the top of a module or the spec, read without running it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {name} in {path}")


APP_ID = constant(PROJECT / "briefing_app" / "ui" / "app.py", "APP_ID")
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
PROGRAMS = {**PYPROJECT["project"]["scripts"], **PYPROJECT["project"]["gui-scripts"]}


def validator(name: str, package: str) -> str:
    # Not a skip: CI installs these (.ci/run), and metadata that was never checked must not pass.
    found = shutil.which(name)
    assert found, f"{name} is missing: apt-get install {package} (.ci/run installs it)"
    return found


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def metainfo() -> ElementTree.Element:
    return ElementTree.parse(METAINFO).getroot()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path}: not a PNG"
    return struct.unpack(">II", data[16:24])


def test_app_id_is_reverse_dns():
    assert isinstance(APP_ID, str)
    parts = APP_ID.split(".")
    assert len(parts) >= 3 and all(part.isidentifier() for part in parts), APP_ID


def test_desktop_file_validates():
    result = subprocess.run(
        [validator("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
        capture_output=True,
        text=True,
    )
    # It prints hints too; errors and warnings fail.
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [
        line for line in result.stdout.splitlines() if ": error: " in line or ": warning: " in line
    ]
    assert problems == []


def test_metainfo_validates():
    result = subprocess.run(
        [validator("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert problems == [], result.stdout


def test_desktop_entry_agrees_with_the_app():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Briefing"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    program = entry["Exec"].split()[0]
    assert program in PYPROJECT["project"]["gui-scripts"], f"Exec={program}: not a gui-script"
    assert entry["TryExec"] == program
    module, _, function = PROGRAMS[program].partition(":")
    assert callable(getattr(__import__(module, fromlist=[function]), function))


def test_metainfo_agrees_with_the_app_and_the_desktop_entry():
    root = metainfo()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchables = [(item.get("type"), item.text) for item in root.findall("launchable")]
    assert launchables == [("desktop-id", DESKTOP.name)]
    assert root.findtext("name") == desktop_entry()["Name"]
    assert root.findtext("project_license") == PYPROJECT["project"]["license"]
    assert {item.text for item in root.findall("provides/binary")} == set(PROGRAMS)
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == briefing_app.__version__, (
        "add a <release> for this version to the metainfo"
    )


def test_icons_are_named_for_the_app_and_have_their_sizes():
    hicolor = ICONS / "hicolor"
    svg = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    assert ElementTree.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    sizes = []
    for folder in sorted(hicolor.iterdir()):
        files = [path.name for path in (folder / "apps").iterdir()]
        if folder.name == "scalable":
            assert files == [svg.name]
            continue
        assert files == [f"{APP_ID}.png"], folder
        side = int(folder.name.split("x")[0])
        assert folder.name == f"{side}x{side}"
        assert png_size(folder / "apps" / files[0]) == (side, side), folder
        sizes.append(side)
    assert {16, 32, 48, 64, 128, 256} <= set(sizes)
    assert (ICONS / "briefing.ico").read_bytes()[:4] == b"\0\0\1\0"
    assert (ICONS / "briefing.icns").read_bytes()[:4] == b"icns"
    spec = SPEC.read_text(encoding="utf-8")
    assert '"briefing.ico"' in spec and '"briefing.icns"' in spec


def test_spec_names_every_resource_folder():
    folders = constant(SPEC, "RESOURCE_FOLDERS")
    files = constant(SPEC, "RESOURCE_FILES")
    resources = PROJECT / "resources"
    present_folders = sorted(
        path.name for path in resources.iterdir() if path.is_dir() and path.name != "__pycache__"
    )
    present_files = sorted(
        path.name for path in resources.iterdir() if path.is_file() and path.suffix != ".py"
    )
    assert sorted(folders) == present_folders, "name each folder of resources/ in the spec"
    assert sorted(files) == present_files, "name each file of resources/ in the spec"


def test_spec_builds_the_programs_of_pyproject():
    calls = [
        node
        for node in ast.walk(ast.parse(SPEC.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "EXE"
    ]
    names = {
        keyword.value.value
        for call in calls
        for keyword in call.keywords
        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant)
    }
    assert names == set(PROGRAMS)


def test_version_is_defined_once():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "briefing_app.__version__"
    }


def test_metadata_is_complete():
    project = PYPROJECT["project"]
    for key in ("description", "readme", "requires-python", "license", "authors", "keywords"):
        assert project.get(key), key
    assert (PROJECT / project["readme"]).is_file()
    assert all((PROJECT / name).is_file() for name in project["license-files"])
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(project["urls"])
    classifiers = project["classifiers"]
    assert any(item.startswith("Development Status ::") for item in classifiers)
    assert any(item.startswith("Environment :: Win32") for item in classifiers)
    assert not any(item.startswith("License ::") for item in classifiers), "use `license`"


def test_python_m_briefing_app():
    result = subprocess.run(
        [sys.executable, "-m", "briefing_app", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(briefing_app.__version__)
