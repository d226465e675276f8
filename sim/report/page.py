"""Turning a report's content into one HTML file: jinja2 templates (``sim/templates``, with
autoescaping), figures embedded as base64 PNG, the limitations of the model, and no clock:
the same folder gives the same bytes.
"""

from __future__ import annotations

import base64
import importlib.resources
import io
import re
import shlex
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from sim.errors import UserError

#: The extra that installs what reports need.
EXTRA = "report"
TEMPLATES = "templates"
LIMITATIONS = "limitations.md"


@dataclass(frozen=True)
class Shown:
    """A figure of the report: its caption and the PNG as a data URI."""

    caption: str
    alt: str
    uri: str


@dataclass(frozen=True)
class Section:
    """An entry of the contents list and the heading it links to."""

    id: str
    title: str


def command_line(words: list[str]) -> str:
    """A command as a reader types it: like :func:`shlex.join`, but text with single
    quotes (``decision == 'north'``) goes in double quotes, not in quote soup."""
    out = []
    for word in words:
        quoted = shlex.quote(word)
        if quoted != word and "'" in word and not any(c in word for c in '"$`\\!'):
            quoted = f'"{word}"'
        out.append(quoted)
    return " ".join(out)


def png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def shown_figure(fig: Figure, caption: str, alt: str, dpi: int = 110) -> Shown:
    """``fig`` drawn as a PNG (no software or date in its metadata, so the bytes repeat)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return Shown(caption, alt, png_uri(buf.getvalue()))


def limitations() -> list[str]:
    """The model's limitations, one paragraph each, from the package's ``limitations.md``
    (the list ``docs/model.md`` shows too: the report must stand without the docs)."""
    text = importlib.resources.files("sim").joinpath(TEMPLATES, LIMITATIONS).read_text("utf-8")
    return bullets(text)


def bullets(markdown: str) -> list[str]:
    """The items of a Markdown bullet list (``* `` items, indented continuation lines)."""
    items: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("* "):
            items.append(line[2:].strip())
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    return items


def _code_spans(text: str) -> Any:
    """``text`` escaped, with Markdown `code` spans as <code> (the one markup the
    limitations use)."""
    from markupsafe import Markup, escape  # comes with jinja2 (the [report] extra)

    parts = re.split(r"`([^`]+)`", str(text))
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<code>%s</code>") % p
                           for i, p in enumerate(parts))


def render(template: str, context: dict[str, Any]) -> str:
    """The page ``template`` with ``context``; one line naming the extra without jinja2."""
    try:
        import jinja2  # optional: the [report] extra
    except ImportError:
        raise UserError(f"sim report needs jinja2: pip install "
                        f"'strike-north-or-south[{EXTRA}]'") from None
    env = jinja2.Environment(loader=jinja2.PackageLoader("sim", TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["code"] = _code_spans
    return env.get_template(template).render(limitations=limitations(), **context)
