"""``python -m checklist``: see checklist.cli."""

import sys

from checklist.cli import main

sys.exit(main())
