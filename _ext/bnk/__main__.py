"""``python -m bnk …`` (on Windows: ``py -m bnk …``): the same commands as the ``bnk`` script."""

import sys

from bnk.cli import main

sys.exit(main())
