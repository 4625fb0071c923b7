"""``python -m bnk …`` (on Windows: ``py -m bnk …``): the same commands as the ``bnk`` script."""

from bnk.cli import console

console()
