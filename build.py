#!/usr/bin/env python3
"""Build every lesson in content/ into PDFs in output/ (see `python build.py --help`).

The first run creates .venv with the pinned dependencies; later runs reuse it.
"""

import sys

from handouts.bootstrap import ensure

if __name__ == "__main__":
    ensure()
    from handouts.cli import main

    sys.exit(main(prog="build.py"))
