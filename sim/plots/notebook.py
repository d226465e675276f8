"""Showing the figures in Jupyter, which they do not reach through ``pyplot``."""

from __future__ import annotations

import io
import sys

from matplotlib.figure import Figure


def _png_for_notebook(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return buf.getvalue()


def show_figures_in_notebooks() -> None:
    """Let Jupyter show the figures these functions return, whatever matplotlib backend is set.

    Jupyter's inline backend registers a PNG formatter for figures only once ``pyplot`` is
    imported with it; our figures never touch ``pyplot``, so register one for them.
    """
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return
    shell = ipython_module.get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    png = shell.display_formatter.formatters["image/png"]
    if Figure in png.type_printers:  # the inline backend got there first: keep its settings
        return
    png.for_type(Figure, _png_for_notebook)
