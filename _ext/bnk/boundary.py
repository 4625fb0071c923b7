"""One boundary for the unexpected: a bug in the extension becomes a located ``bnk.internal``
warning instead of a Sphinx abort with a traceback.

This is a safety net, not error handling: bad input is reported by the parsers with
``BnkDataError``; what arrives here is a bug, and the message asks the author to report it.
Directives, roles and transforms of the extension subclass :class:`BnkDirective`,
:class:`BnkRole` and :class:`BnkTransform` (their ``run``/``apply`` is guarded automatically);
event handlers are registered through :func:`connect`.
"""

from __future__ import annotations

import functools
import traceback
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from docutils import nodes
from docutils.parsers.rst import DirectiveError
from docutils.utils import SystemMessage
from sphinx.errors import SphinxError
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, SphinxRole

from bnk.warnings_ import BnkWarning, Location, note, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

F = TypeVar("F", bound="Callable[..., Any]")

# The extension's progress event, (app, what, done, total) with ``what`` a German label such as
# "Zeichne Diagramme": ``bnk html``/``bnk pdf`` show it; a plain sphinx-build has no listener.
PROGRESS_EVENT = "bnk-progress"

# Control flow of docutils and Sphinx (and -W turning a warning into an error) passes through.
PASS_THROUGH = (nodes.TreePruningException, DirectiveError, SystemMessage, SphinxError)
REPORT_HINT = (
    "Das ist ein Fehler der Erweiterung bnk, nicht Ihrer Eingabe: bitte mit dieser Meldung und "
    "der betroffenen Datei an das Projekt bnk-bericht melden."
)


def internal_message(what: str, exc: BaseException) -> str:
    """The German ``bnk.internal`` text: what failed, the exception, where in the code, a hint."""
    frames = traceback.extract_tb(exc.__traceback__)
    place = f" ({frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return f"Interner Fehler in {what}: {type(exc).__name__}: {exc}{place}. {REPORT_HINT}"


def report_internal(env: BuildEnvironment | None, what: str, exc: BaseException, location: Location) -> None:
    """Report an unexpected exception: recorded with the page while reading, else emitted now."""
    message = internal_message(what, exc)
    if env is not None and env.temp_data.get("docname"):
        note(env, message, BnkWarning.INTERNAL, location)  # while reading: with the page's problems
    else:
        warn(message, BnkWarning.INTERNAL, location)


def _document_location(env: BuildEnvironment | None, document: Any) -> Location:
    """``(docname, None)`` of a doctree: Sphinx prints the page's path without a line."""
    source = document.get("source") if isinstance(document, nodes.document) else None
    docname = env.path2doc(source) if env is not None and source else None
    return (docname, None) if docname else None


def _guard_method(func: F, kind: str, fallback: Callable[[Any], Any]) -> F:
    @functools.wraps(func)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(self, *args, **kwargs)
        except PASS_THROUGH:
            raise
        except Exception as exc:
            name = getattr(self, "name", None) or type(self).__name__
            env = getattr(self, "env", None)
            try:
                location: Location = self.get_location()
            except Exception:  # transforms have no get_location(); the document is the place
                location = _document_location(env, getattr(self, "document", None))
            report_internal(env, f"{kind} „{name}“", exc, location)
            return fallback(self)

    guarded.__bnk_guarded__ = True  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


def _error_nodes(directive: Any) -> list[nodes.Node]:
    text = "Dieser Block konnte wegen eines internen Fehlers nicht dargestellt werden (siehe Warnung)."
    box = nodes.admonition(classes=["error", "bnk-error"])
    box += nodes.title("", "Interner Fehler")
    box += nodes.paragraph(text, text)
    return [box]


class BnkDirective(SphinxDirective):
    """Base of every directive of the extension: ``run`` is guarded by the boundary."""

    boundary_kind: ClassVar[str] = "der Direktive"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None and not getattr(run, "__bnk_guarded__", False):
            cls.run = _guard_method(run, cls.boundary_kind, _error_nodes)  # type: ignore[method-assign]


class BnkRole(SphinxRole):
    """Base of every role of the extension: ``run`` is guarded by the boundary."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None and not getattr(run, "__bnk_guarded__", False):
            cls.run = _guard_method(  # type: ignore[method-assign]
                run, "der Rolle", lambda self: ([nodes.inline(self.rawtext, self.text)], [])
            )


class BnkTransform(SphinxTransform):
    """Base of every transform of the extension: ``apply`` is guarded by the boundary."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        apply = cls.__dict__.get("apply")
        if apply is not None and not getattr(apply, "__bnk_guarded__", False):
            cls.apply = _guard_method(apply, "der Transformation", lambda self: None)  # type: ignore[method-assign,attr-defined]


class BnkPostTransform(SphinxPostTransform):
    """Base of every post-transform of the extension: ``run`` is guarded by the boundary."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is not None and not getattr(run, "__bnk_guarded__", False):
            cls.run = _guard_method(run, "der Nachbearbeitung", lambda self: None)  # type: ignore[method-assign]


def guard_handler(handler: F, fallback: Any = None) -> F:
    """Wrap an event handler: an unexpected exception becomes a ``bnk.internal`` warning.

    :param fallback: returned instead (e.g. ``[]`` for ``env-get-outdated``)
    """

    @functools.wraps(handler)
    def guarded(app: Sphinx, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(app, *args, **kwargs)
        except PASS_THROUGH:
            raise
        except Exception as exc:
            env = getattr(app, "env", None)
            location: Location = None
            for arg in args:
                if isinstance(arg, nodes.document):
                    location = _document_location(env, arg)
            report_internal(env, f"der Ereignisbehandlung „{handler.__name__}“", exc, location)
            return list(fallback) if isinstance(fallback, list) else fallback

    return guarded  # type: ignore[return-value]


def connect(app: Sphinx, event: str, handler: Callable[..., Any], fallback: Any = None, priority: int = 500) -> int:
    """``app.connect`` through the boundary."""
    return app.connect(event, guard_handler(handler, fallback), priority=priority)


def skip_node(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    """A writer skips the node (a placeholder replaced earlier, or nothing to show in that format)."""
    raise nodes.SkipNode


def add_node(
    app: Sphinx,
    node: type[nodes.Element],
    html: Callable[..., None] = skip_node,
    latex: Callable[..., None] = skip_node,
    text: Callable[..., None] = skip_node,
    other: Callable[..., None] = skip_node,
) -> None:
    """``app.add_node`` with one visitor per builder family (``other``: man and texinfo); a
    family not named skips the node."""
    app.add_node(
        node,
        html=(html, None),
        latex=(latex, None),
        text=(text, None),
        man=(other, None),
        texinfo=(other, None),
    )
