"""How a console run of a command ends: with its exit code at once, its memory left to the OS.

Validating a large data file builds about a million objects. Freeing them one by one when the
command returns, and the cycle collector's pass over them once it is switched back on, cost about a
tenth of the run, for memory that the operating system takes back at exit in one go. So a console run
(``bot.cli.main.console_main``) ends inside the command while its objects are still alive, as mypy's
``--fast-exit`` does. Called in-process (the tests, the Action's event handlers), nothing changes:
the command returns its code.
"""

from __future__ import annotations

import os
import sys

_console = False  # set once by the console entry point, never by an in-process caller


def enable() -> None:
    """Let ``finish`` end the process: only the console entry point calls this."""
    global _console
    _console = True


def finish(code: int) -> int:
    """End a console run here with ``code`` once the output is flushed; in-process, return ``code``.

    ``os._exit`` skips the atexit handlers, so only a command that leaves none behind calls this.
    """
    if not _console:
        return code
    sys.stdout.flush()  # a closed pipe raises here, and main answers it as it always does
    sys.stderr.flush()
    os._exit(code)
