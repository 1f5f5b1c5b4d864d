"""How a command of `python -m loaders` and `python -m analytics` runs and ends its process."""
from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import Callable, NoReturn


def run_command(main: Callable[[], int]) -> NoReturn:
    """Run `main()` and end the process with the code it returns.

    The objects the command's imports made (pandas', pyarrow's, DuckDB's, ours) live until the end:
    they are frozen out of the collector's walks first. Once the command has returned, the process
    ends without Python's own teardown, which takes every module and object apart one by one and was
    about a tenth of a whole import of a million-row csv (issue 24's whole-process floors; bench/
    whole_processes). Nothing of a command is left to that teardown: each closes its store before it
    returns. The atexit functions still run (a file a reader spilled is removed by one), and stdout
    and stderr are flushed. While a thread of the command still runs (none should), or when `main`
    raises, the process ends the usual way.
    """
    gc.freeze()
    gc.enable()
    try:
        code = main()
        if threading.active_count() > 1:
            sys.exit(code)
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # the reader stopped reading (`history | head`): not a failure to show with a traceback;
        # stdout goes nowhere, so that a flush at exit does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
