"""The documented checkpoints on the monthly series name real series and cited rows."""

from __future__ import annotations

from sim.outcomes import DEFAULT_HORIZON, SERIES, month_ends
from sim.reference import BY_ID, TARGET_BY_ID
from sim.reference_series import CHECKPOINTS


def test_every_checkpoint_is_a_series_month_with_its_sources_in_the_package() -> None:
    months = set(month_ends(DEFAULT_HORIZON))
    for c in CHECKPOINTS:
        assert c.series in SERIES, c
        assert c.date in months, c
        assert c.low is None or c.low <= c.value, c
        assert c.high is None or c.value <= c.high, c
        missing = [i for i in c.ids if i not in BY_ID and i not in TARGET_BY_ID]
        assert not missing, (c, missing)


def test_a_checkpoint_compared_with_part_of_its_series_says_which_part() -> None:
    """The fleet figures without tankers (SH-02, SH-03) are compared with the series times its
    dry-cargo share, and say so; every other checkpoint compares the series whole."""
    for c in CHECKPOINTS:
        assert 0.0 < c.model_factor <= 1.0, c
        if c.model_factor != 1.0:
            assert c.note and "excluding" in c.note, c
    partial = {c.ids[0] for c in CHECKPOINTS if c.model_factor != 1.0}
    assert partial == {"SH-02", "SH-03"}
