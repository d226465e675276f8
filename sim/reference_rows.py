"""The two row types of the documented record: a reference figure and a backtest target."""

from __future__ import annotations

from dataclasses import dataclass

Value = float | str | None


@dataclass(frozen=True)
class Reference:
    """One documented quantity: best value and credible (low, high) range."""

    id: str
    quantity: str
    unit: str
    best: Value
    low: Value
    high: Value
    source: str
    grade: str


@dataclass(frozen=True)
class BacktestTarget:
    """A historical fact the calibrated historical scenario must reproduce (§4 of the notes)."""

    id: str
    description: str
    value: Value
    low: Value
    high: Value
    source_ids: tuple[str, ...]
