"""Pure data layer of the extension: no Sphinx imports, unit-testable on its own."""

from __future__ import annotations


class BnkDataError(ValueError):
    """Invalid input data, with the place where it was found.

    :param msg: German message for the author
    :param path: the file the problem is in
    :param line: 1-based line in that file, if known
    :param column: the column name or number, if it applies
    """

    def __init__(self, msg: str, path: str | None = None, line: int | None = None, column: str | None = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.path = path
        self.line = line
        self.column = column
