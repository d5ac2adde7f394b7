"""``python -m eightbyeight_events`` is the ``8x8-events`` command."""

import sys

from eightbyeight_events.cli import main

sys.exit(main())
