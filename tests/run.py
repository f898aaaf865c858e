#!/usr/bin/env python3
"""Run the whole test suite: `python3 tests/run.py` (extra arguments go to pytest).

The first run creates .venv with the pinned dependencies and test tools; later runs reuse it.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handouts.bootstrap import PROJECT_ROOT, ensure

if __name__ == "__main__":
    ensure(reexecute=True)
    os.chdir(PROJECT_ROOT)
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[1:]])
