"""What the frozen programs run: the same `briefing-app` command line as an installed copy.

Both executables of the bundle start here: `briefing-app` (a console program, for the command
line) and `briefing-app-gui` (no console window on Windows, an app on macOS); without a command
either one opens the desktop app.
"""

import multiprocessing

from briefing_app.cli import main

if __name__ == "__main__":
    # A large import extracts in worker processes started from this executable: they must
    # run their task, not the command line.
    multiprocessing.freeze_support()
    main(prog_name="briefing-app")
