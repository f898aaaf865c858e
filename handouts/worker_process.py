"""What every worker process of a build does first: leave Ctrl-C to the main process, and
die with it."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies


def serve_the_main_process() -> None:
    """Ignore Ctrl-C (the main process stops the pool) and, on Linux, be killed when the
    main process dies, even by SIGKILL."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the main process died before the line above
            os._exit(1)
