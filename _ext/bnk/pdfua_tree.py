"""The structure tree of the accessible PDF follows the document, not the pages.

WeasyPrint (70) tags page by page: an HTML element that runs over a page break becomes one
structure element per page, so the tree of the report was one ``/Div`` per page and every
section, list and table was cut at each page break. Here:

1. while WeasyPrint tags, every structure element it creates gets a private key, ``/BnkKey``,
   naming the HTML element (and pseudo-element and tag) it comes from
   (:func:`element_keys` wraps WeasyPrint's ``_build_box_tree`` for the duration of one
   ``write_pdf``; WeasyPrint's recursion calls it through the module, so every level is seen).
   An anonymous block box (CSS wraps the inline ``<span id>`` that Sphinx puts before a
   chapter's ``<h2>`` in one) carries its parent's HTML element: WeasyPrint tagged it as a
   second ``/Sect`` inside the section, and with the section's key the next page's part was
   joined into it – before the heading. It becomes ``/NonStruct`` (its content belongs to the
   parent) and an empty key: it is never joined;
2. afterwards (:func:`merge_continued`, with pikepdf) an element whose key also ends the
   previous page (or, for a link or span that wraps, the previous line in the same parent) is
   the continuation of that one: its kids move to it (marked-content numbers
   become ``/MCR`` references with their page), it leaves the tree, and the parent tree points
   to the merged element. A table's header row repeated on the next page is kept as a second
   ``/THead`` inside the one ``/Table``, so the cells on that page still name their headers.

The page layout's wrappers (the theme's ``div.document``/``div.body``, Sphinx's
``div.toctree-wrapper``) are removed at the end, their kids in their place. The result:
``Document → Sect`` (the report) ``→ Sect`` per chapter ``→ H2 … /P /L /Table /Figure``, one
``/Table`` per HTML table however many pages it spans.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

KEY = "/BnkKey"
# Repeated on each page by WeasyPrint: kept per page (see above).
NOT_MERGED = ("/THead",)
# The page layout's wrappers (basic theme, Sphinx's toctree): no structure of the report; after
# joining, their kids take their place, so that the chapters' Sects sit under the report's Sect.
LAYOUT = "/BnkLayout"
LAYOUT_CLASSES = frozenset(("document", "documentwrapper", "bodywrapper", "body", "toctree-wrapper"))
# Grouping tags that an anonymous block box must not repeat (it is no element of the HTML).
ANONYMOUS_NOT_STRUCT = frozenset(("Sect", "Div", "Part", "Art", "BlockQuote", "P", "H1", "H2", "H3", "H4", "H5", "H6"))


@contextlib.contextmanager
def element_keys() -> Iterator[bool]:
    """While active, WeasyPrint's structure elements carry the key of their HTML element.

    Yields False (and changes nothing) when this WeasyPrint has no ``_build_box_tree``.
    """
    try:
        import pydyf
        from weasyprint.css import AnonymousStyle
        from weasyprint.layout.absolute import AbsolutePlaceholder
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover - WeasyPrint is required by the caller
        yield False
        return
    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        yield False
        return

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        anonymous = isinstance(inner.style, AnonymousStyle) and not getattr(inner, "is_table_wrapper", False)
        for element in original(box, parent, *args):
            # Elements of flattened boxes (html, body) were keyed by the inner call already.
            if KEY[1:] in element:
                pass
            elif anonymous and str(element["S"]).lstrip("/") in ANONYMOUS_NOT_STRUCT:
                element["S"] = "/NonStruct"
                element[KEY[1:]] = pydyf.String("")
            else:
                element[KEY[1:]] = pydyf.String(f"{id(inner.element)}:{inner.element_tag}:{element['S']}")
                classes = set(str(inner.element.get("class", "")).split()) if inner.element_tag == "div" else set()
                if element["S"] == "/Div" and classes & LAYOUT_CLASSES:
                    element[LAYOUT[1:]] = "true"  # pydyf writes the value as it is
            yield element

    tags._build_box_tree = build
    try:
        yield True
    finally:
        tags._build_box_tree = original


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_elem(obj: Any) -> bool:
    import pikepdf

    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj and obj.get("/Type", "/StructElem") == "/StructElem"


def _walk(root: Any) -> Iterator[tuple[Any, bool]]:
    """Structure elements in document order, each with whether it lies inside a ``/THead``."""
    stack = [(kid, False) for kid in reversed(_kids(root)) if _is_elem(kid)]
    while stack:
        element, in_head = stack.pop()
        yield element, in_head
        head = in_head or element.S in NOT_MERGED
        stack.extend((kid, head) for kid in reversed(_kids(element)) if _is_elem(kid))


def merge_continued(pdf: Any) -> int:
    """Join the parts of every element that WeasyPrint split at page breaks; drop the keys.

    :param pdf: an open pikepdf PDF from WeasyPrint, tagged under :func:`element_keys`
    :returns: how many parts were joined into the element before them
    """
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    page_of = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    last: dict[str, tuple[Any, int]] = {}  # key -> (element the parts go to, page of the last part)
    merged: dict[tuple[int, int], Any] = {}
    for element, in_head in list(_walk(root)):
        key = str(element.get(KEY, ""))
        page = page_of.get(element.Pg.objgen, -1) if "/Pg" in element else -1
        if not key or in_head or element.S in NOT_MERGED:
            continue
        previous = last.get(key)
        if previous is not None and page >= 0 and (page == previous[1] + 1 or _same_line_run(element, previous, page)):
            target = previous[0]
            _move_kids(element, target, pikepdf)
            merged[element.objgen] = target
            last[key] = (target, page)
        else:
            last[key] = (element, page)
    if merged:
        _repoint_parent_tree(root, merged, pikepdf)
    for element, _ in _walk(root):
        if KEY in element:
            del element[KEY]
    _drop_empty(root, pikepdf)
    _unwrap_layout(root, pikepdf)
    return len(merged)


def _unwrap_layout(element: Any, pikepdf: Any) -> None:
    """Replace every layout wrapper (:data:`LAYOUT`) below ``element`` by its kids. Only one that
    holds structure elements alone (no marked content of its own, so nothing in the parent tree
    points to it) is removed."""
    kids = []
    changed = False
    for kid in _kids(element):
        if _is_elem(kid):
            _unwrap_layout(kid, pikepdf)
            inner = _kids(kid)
            if LAYOUT in kid and all(_is_elem(k) for k in inner):
                for k in inner:
                    k.P = element
                kids.extend(inner)
                changed = True
                continue
            if LAYOUT in kid:
                del kid[LAYOUT]
        kids.append(kid)
    if changed:
        element.K = pikepdf.Array(kids)


# Wrappers that mean nothing without content (a table cell stays even when it is empty).
DROPPED_WHEN_EMPTY = ("/NonStruct", "/Span", "/Div")


def _drop_empty(element: Any, pikepdf: Any) -> bool:
    """Remove the wrappers without any content below ``element`` (e.g. the empty ``<span id>``
    anchors before headings); returns whether ``element`` itself is empty."""
    kids = _kids(element)
    kept = [kid for kid in kids if not (_is_elem(kid) and _drop_empty(kid, pikepdf))]
    if len(kept) != len(kids):
        element.K = pikepdf.Array(kept)
    return not kept and element.get("/S") in DROPPED_WHEN_EMPTY


# Inline elements that WeasyPrint tags once per line when they wrap (a link over two lines).
INLINE = ("/Link", "/Span")


def _same_line_run(element: Any, previous: tuple[Any, int], page: int) -> bool:
    """Whether ``element`` continues an inline element on the next line of the same page: both
    parts lie in the same parent (a wrapped link is one link, with one description)."""
    target = previous[0]
    return (
        page == previous[1]
        and element.S in INLINE
        and "/P" in element
        and "/P" in target
        and element.P.objgen == target.P.objgen
    )


def _move_kids(element: Any, target: Any, pikepdf: Any) -> None:
    """Append ``element``'s kids to ``target`` and take ``element`` out of its parent."""
    moved = []
    for kid in _kids(element):
        if isinstance(kid, int):
            # A marked-content number is relative to the element's page: say which page.
            moved.append(pdf_mcr(pikepdf, element.Pg, kid))
            continue
        if _is_elem(kid):
            kid.P = target
        elif isinstance(kid, pikepdf.Dictionary) and "/Pg" not in kid and "/Pg" in element:
            kid.Pg = element.Pg
        moved.append(kid)
    kids = target.get("/K")
    if not isinstance(kids, pikepdf.Array):
        target.K = pikepdf.Array([] if kids is None else [kids])
    for kid in moved:
        target.K.append(kid)
    parent = element.P
    siblings = parent.get("/K")
    if isinstance(siblings, pikepdf.Array):
        keep = [s for s in siblings if not (isinstance(s, pikepdf.Dictionary) and s.objgen == element.objgen)]
        parent.K = pikepdf.Array(keep)


def pdf_mcr(pikepdf: Any, page: Any, mcid: int) -> Any:
    """A marked-content reference to ``mcid`` on ``page``."""
    return pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=mcid)


def _repoint_parent_tree(root: Any, merged: dict[tuple[int, int], Any], pikepdf: Any) -> None:
    """Marked content and annotations of a joined part belong to the element it joined."""

    def final(obj: Any) -> Any:
        while isinstance(obj, pikepdf.Dictionary) and obj.objgen in merged:
            obj = merged[obj.objgen]
        return obj

    nums = root.ParentTree.get("/Nums")
    if nums is None:
        return
    for index in range(1, len(nums), 2):
        value = nums[index]
        if isinstance(value, pikepdf.Array):
            nums[index] = pikepdf.Array([final(v) for v in value])
        else:
            nums[index] = final(value)
