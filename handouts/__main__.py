"""`python -m handouts`: the same command as `handouts`."""

import sys

from .cli import main

sys.exit(main())
