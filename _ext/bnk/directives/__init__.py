"""Directives and roles of the ``bnk`` extension, one module each."""
