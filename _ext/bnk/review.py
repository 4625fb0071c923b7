"""Review two states of a report: what changed in aspects, indicators (data!), chapters, examples.

Works on two ``bnk-report.json`` exports (see ``export.py``); ``cli.py`` builds them from git
revisions. The result is sorted so that the review itself diffs cleanly.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

from bnk.data.numbers import LOCALE

STATUS_WORDS = {"berichtet": "berichtet", "begründet": "begründet", "fehlt": "fehlt"}
# Policies for --fail-on and the changes that trigger them.
POLICIES = {
    "aspect-missing": "ein Aspekt fehlt neu oder wurde entfernt",
    "status-change": "ein Aspekt oder Kapitel hat seinen Status geändert",
    "revised-data": "ein historischer Wert wurde revidiert",
    "removed": "ein Aspekt, Indikator, Kapitel oder Praxisbeispiel wurde entfernt",
    "any": "irgendeine Änderung",
}
SECTIONS = {
    "report": "Bericht",
    "chapters": "Kapitel",
    "aspects": "Aspekte",
    "core_indicators": "Kernindikatoren",
    "indicators": "Indikatoren",
    "examples": "Praxisbeispiele",
    "values": "Werte im Text",
}


@dataclass(frozen=True, order=True)
class Item:
    """One change: its section, a sort key, the German text, and the policies it triggers."""

    section: str
    key: tuple
    text: str
    tags: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass
class Review:
    """All changes between two states, in a stable order."""

    old_label: str
    new_label: str
    items: list[Item]
    totals: tuple[str | None, str | None] = (None, None)  # berichtet oder begründet, before and after

    def triggered(self, policies: list[str]) -> list[str]:
        """The given ``--fail-on`` policies that this review triggers."""
        hit = []
        for policy in policies:
            if (policy == "any" and self.items) or any(policy in item.tags for item in self.items):
                hit.append(policy)
        return hit

    def by_section(self) -> dict[str, list[Item]]:
        """Items grouped by section, sections in a fixed order."""
        grouped: dict[str, list[Item]] = {}
        for section in SECTIONS:
            items = sorted(i for i in self.items if i.section == section)
            if items:
                grouped[section] = items
        return grouped


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    return format_decimal(value, locale=LOCALE, format="#,##0.######")


def _words(text: str | None) -> list[str]:
    return (text or "").split()


def word_diff(old: str | None, new: str | None, width: int = 12) -> tuple[int, int, str]:
    """Words added, words removed, and a short excerpt of the first change."""
    a, b = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    added = removed = 0
    excerpt = ""
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        added += j2 - j1
        removed += i2 - i1
        if not excerpt:
            before = " ".join(a[max(0, i1 - 4) : i1])
            parts = []
            if i2 > i1:
                parts.append("[−" + " ".join(a[i1 : min(i2, i1 + width)]) + (" …" if i2 - i1 > width else "") + "]")
            if j2 > j1:
                parts.append("[+" + " ".join(b[j1 : min(j2, j1 + width)]) + (" …" if j2 - j1 > width else "") + "]")
            excerpt = ("… " if i1 > 4 else "") + (before + " " if before else "") + " ".join(parts) + " …"
    return added, removed, excerpt


def _aspect_key(number: object) -> tuple[tuple[int, int | str], ...]:
    """Natural order of a code of any catalogue: 1.2 < 1.10 < 2, "A3" < "A10"; numbers before text."""
    parts = re.findall(r"[0-9]+|[^0-9.\-]+", str(number))
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in parts)


def _diff_report(old: dict, new: dict) -> list[Item]:
    items = []
    labels = {"report_year": "Berichtsjahr", "edition": "BNK-Ausgabe", "kommune": "Kommune"}
    for key, label in labels.items():
        if old.get(key) != new.get(key):
            items.append(Item("report", (0, key), f"{label}: {old.get(key)} → {new.get(key)}"))
    return items


def _diff_chapters(old: list[dict], new: list[dict]) -> list[Item]:
    items = []
    a = {c["number"]: c for c in old}
    b = {c["number"]: c for c in new}
    for number in sorted(set(a) | set(b), key=_aspect_key):
        if number not in b:
            items.append(
                Item("chapters", _aspect_key(number), f"**{a[number]['title']}**: entfernt", frozenset({"removed"}))
            )
        elif number not in a:
            items.append(Item("chapters", _aspect_key(number), f"**{b[number]['title']}**: neu"))
        elif a[number]["status"] != b[number]["status"]:
            items.append(
                Item(
                    "chapters",
                    _aspect_key(number),
                    f"**{b[number]['title']}**: Status {a[number]['status']} → {b[number]['status']}",
                    frozenset({"status-change"}),
                )
            )
    return items


def _diff_aspects(old: list[dict], new: list[dict]) -> list[Item]:
    items = []
    a = {x["number"]: x for x in old}
    b = {x["number"]: x for x in new}
    for number in sorted(set(a) | set(b), key=_aspect_key):
        key = _aspect_key(number)
        if number not in b:
            items.append(
                Item(
                    "aspects",
                    key,
                    f"**Aspekt {number}** ({a[number]['title']}): entfernt",
                    frozenset({"removed", "aspect-missing"}),
                )
            )
            continue
        if number not in a:
            items.append(
                Item("aspects", key, f"**Aspekt {number}** ({b[number]['title']}): neu, Status {b[number]['status']}")
            )
            continue
        before, after = a[number], b[number]
        if before["status"] != after["status"]:
            text = f"**Aspekt {number}** ({after['title']}): Status {before['status']} → {after['status']}"
            if after["status"] == "begründet" and after.get("reason"):
                reason = " ".join(_words(after["reason"])[:25])
                text += f"; Begründung: „{reason}{' …' if len(_words(after['reason'])) > 25 else ''}“"
            tags = {"status-change"} | ({"aspect-missing"} if after["status"] == "fehlt" else set())
            items.append(Item("aspects", key, text, frozenset(tags)))
            continue
        if (before.get("text") or "") != (after.get("text") or ""):
            added, removed, excerpt = word_diff(before.get("text"), after.get("text"))
            items.append(
                Item(
                    "aspects",
                    key,
                    f"**Aspekt {number}** ({after['title']}): Text geändert (+{added} / −{removed} Wörter): {excerpt}",
                )
            )
    return items


def _series_items(ident: str, title: str, a: dict, b: dict) -> list[Item]:
    items = []
    for name in sorted(set(a) | set(b)):
        label = "" if name == "kommune" else f" (Reihe {name})"
        old = dict(zip(a.get(name, {}).get("years", []), a.get(name, {}).get("values", []), strict=True))
        new = dict(zip(b.get(name, {}).get("years", []), b.get(name, {}).get("values", []), strict=True))
        revised = [y for y in sorted(set(old) & set(new)) if old[y] != new[y]]
        for year in revised:
            items.append(
                Item(
                    "indicators",
                    (ident, 1, name, year),
                    f"**{title}** (`{ident}`){label}: Wert {year} revidiert: {_num(old[year])} → {_num(new[year])}",
                    frozenset({"revised-data"}),
                )
            )
        added = sorted(set(new) - set(old))
        if added:
            points = ", ".join(f"{y} ({_num(new[y])})" for y in added)
            items.append(
                Item("indicators", (ident, 2, name, 0), f"**{title}** (`{ident}`){label}: neue Datenpunkte {points}")
            )
        dropped = sorted(set(old) - set(new))
        if dropped:
            points = ", ".join(str(y) for y in dropped)
            items.append(
                Item(
                    "indicators",
                    (ident, 3, name, 0),
                    f"**{title}** (`{ident}`){label}: Datenpunkte entfernt: {points}",
                    frozenset({"removed"}),
                )
            )
    return items


def _years(indicator: dict) -> str:
    return ", ".join(map(str, indicator.get("shown_years") or [])) or "–"


def _figures(display: dict) -> str:
    return f"{display.get('change_abs')} / {display.get('change_rel')}"


def _diff_indicators(old: list[dict], new: list[dict]) -> list[Item]:
    items = []
    a = {x["id"]: x for x in old}
    b = {x["id"]: x for x in new}
    fields = {"title": "Titel", "definition": "Definition", "unit": "Einheit", "source": "Quelle", "targets": "Ziele"}
    for ident in sorted(set(a) | set(b)):
        if ident not in b:
            items.append(
                Item("indicators", (ident, 0), f"**{a[ident]['title']}** (`{ident}`): entfernt", frozenset({"removed"}))
            )
            continue
        if ident not in a:
            items.append(Item("indicators", (ident, 0), f"**{b[ident]['title']}** (`{ident}`): neu"))
            continue
        before, after = a[ident], b[ident]
        title = after["title"]
        for key, label in fields.items():
            if before.get(key) != after.get(key):
                if key == "targets":
                    text = f"**{title}** (`{ident}`): Ziele geändert"
                else:
                    text = f"**{title}** (`{ident}`): {label} „{before.get(key)}“ → „{after.get(key)}“"
                items.append(Item("indicators", (ident, 0, key), text))
        series_items = _series_items(ident, title, before.get("series") or {}, after.get("series") or {})
        old_display, new_display = before.get("display") or {}, after.get("display") or {}
        same_years = before.get("shown_years") == after.get("shown_years")
        revised_shown = [
            i for i in series_items if "revised-data" in i.tags and i.key[3] in (after.get("shown_years") or [])
        ]
        if old_display != new_display and same_years and revised_shown:
            # The change figures moved because a shown value was revised: say so in that item
            # instead of listing a second, derived change.
            first = revised_shown[0]
            merged = Item(
                first.section,
                first.key,
                first.text + f"; Veränderung dadurch {old_display.get('change_abs')} / {old_display.get('change_rel')}"
                f" → {new_display.get('change_abs')} / {new_display.get('change_rel')}",
                first.tags,
            )
            series_items[series_items.index(first)] = merged
            old_display = new_display
        items += series_items
        if not same_years:
            items.append(
                Item(
                    "indicators",
                    (ident, 4),
                    f"**{title}** (`{ident}`): gezeigte Jahre {_years(before)} → {_years(after)}",
                )
            )
        if old_display != new_display:
            items.append(
                Item(
                    "indicators",
                    (ident, 5),
                    f"**{title}** (`{ident}`): Veränderung {_figures(old_display)} → {_figures(new_display)}",
                )
            )
        if before.get("status") != after.get("status"):
            items.append(
                Item(
                    "indicators",
                    (ident, 6),
                    f"**{title}** (`{ident}`): Bewertung {before.get('status') or 'keine'}"
                    f" → {after.get('status') or 'keine'}",
                )
            )
    return items


def _diff_examples(old: list[dict], new: list[dict]) -> list[Item]:
    items = []
    a = {x["label"]: x for x in old}
    b = {x["label"]: x for x in new}
    for label in sorted(set(a) | set(b)):
        if label not in b:
            items.append(Item("examples", (label,), f"**{a[label]['title']}**: entfernt", frozenset({"removed"})))
        elif label not in a:
            items.append(Item("examples", (label,), f"**{b[label]['title']}**: neu"))
    return items


def _diff_values(old: list[dict], new: list[dict]) -> list[Item]:
    """Figures in running text (``bnk:wert``): changed, new and removed, by page and reference."""

    def keyed(records: list[dict]) -> dict[tuple[str, str], list[dict]]:
        result: dict[tuple[str, str], list[dict]] = {}
        for record in records:
            result.setdefault((record["page"], record["reference"]), []).append(record)
        return result

    a, b = keyed(old), keyed(new)
    items = []
    for key in sorted(set(a) | set(b)):
        page, reference = key
        before = [r["text"] for r in a.get(key, [])]
        after = [r["text"] for r in b.get(key, [])]
        label = f"`{reference}` ({page})"
        if not before:
            items.append(Item("values", (page, reference, 0), f"neu: {label} = {', '.join(after)}"))
        elif not after:
            items.append(Item("values", (page, reference, 1), f"entfernt: {label}", frozenset({"removed"})))
        elif before != after:
            items.append(Item("values", (page, reference, 2), f"{label}: {', '.join(before)} → {', '.join(after)}"))
    return items


def diff_exports(old: dict[str, Any], new: dict[str, Any], old_label: str, new_label: str) -> Review:
    """Compare two exports."""
    items = (
        _diff_report(old.get("report", {}), new.get("report", {}))
        + _diff_chapters(old.get("chapters", []), new.get("chapters", []))
        + _diff_aspects(old.get("aspects", []), new.get("aspects", []))
        + _diff_core(old.get("core_indicators", []), new.get("core_indicators", []))
        + _diff_indicators(old.get("indicators", []), new.get("indicators", []))
        + _diff_examples(old.get("examples", []), new.get("examples", []))
        + _diff_values(old.get("values", []), new.get("values", []))
    )
    return Review(old_label, new_label, items, (_totals(old), _totals(new)))


def _diff_core(old: list[dict], new: list[dict]) -> list[Item]:
    """Kernindikatoren: new, removed, or another status (shown, explained, missing)."""
    items = []
    a = {x["code"]: x for x in old}
    b = {x["code"]: x for x in new}
    for code in sorted(set(a) | set(b), key=_aspect_key):
        key = _aspect_key(code)
        if code not in b:
            text = f"**Kernindikator {code}** ({a[code]['title']}): entfernt"
            items.append(Item("core_indicators", key, text, frozenset({"removed"})))
        elif code not in a:
            text = f"**Kernindikator {code}** ({b[code]['title']}): neu, Status {b[code]['status']}"
            items.append(Item("core_indicators", key, text))
        elif a[code]["status"] != b[code]["status"]:
            text = f"**Kernindikator {code}** ({b[code]['title']}): Status {a[code]['status']} → {b[code]['status']}"
            if b[code].get("indicator"):
                text += f" (Indikator `{b[code]['indicator']}`)"
            items.append(Item("core_indicators", key, text, frozenset({"status-change"})))
    return items


def _totals(export: dict[str, Any]) -> str | None:
    """E.g. "58 von 62 Aspekten, 17 von 19 Kernindikatoren"; None for an export without Kernindikatoren."""
    core = export.get("core_indicators") or []
    if not core:
        return None
    aspects = export.get("aspects", [])
    done = sum(1 for a in aspects if a.get("status") != "fehlt")
    core_done = sum(1 for c in core if c.get("status") != "fehlt")
    return f"{done} von {len(aspects)} Aspekten, {core_done} von {len(core)} Kernindikatoren"


def _summary(review: Review) -> str:
    grouped = review.by_section()
    if not grouped:
        return "Keine Änderungen."
    parts = [f"{SECTIONS[s]}: {len(items)}" for s, items in grouped.items()]
    text = f"{len(review.items)} Änderungen ({', '.join(parts)})."
    before, after = review.totals
    if before or after:
        text += f" Berichtet oder begründet: {after or '–'} (vorher {before or '–'})."
    return text


def to_markdown(review: Review) -> str:
    """The review as Markdown, for a pull request."""
    lines = [f"# BNK-Review: {review.old_label} → {review.new_label}", "", _summary(review), ""]
    for section, items in review.by_section().items():
        lines += [f"## {SECTIONS[section]}", ""]
        lines += [f"- {item.text}" for item in items]
        lines.append("")
    return "\n".join(lines)


def _inline_html(text: str) -> str:
    escaped = html.escape(text)
    # The two Markdown constructs the items use: **bold** and `code`.
    parts = escaped.split("**")
    escaped = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
    parts = escaped.split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def to_html(review: Review) -> str:
    """The review as a standalone HTML page."""
    title = html.escape(f"BNK-Review: {review.old_label} → {review.new_label}")
    body = [f"<h1>{title}</h1>", f"<p>{html.escape(_summary(review))}</p>"]
    for section, items in review.by_section().items():
        body.append(f"<h2>{html.escape(SECTIONS[section])}</h2>")
        body.append("<ul>")
        body += [f"<li>{_inline_html(item.text)}</li>" for item in items]
        body.append("</ul>")
    style = (
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
        "h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc}"
        "code{background:#f3f3f3;padding:0 .2em}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
