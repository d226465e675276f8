"""When a parameter applies and when an outcome is settled, so that discovery does not explain
a 1941 decision by a 1942 assumption.

The registry dates a parameter by its name: ``shipping.loss_rate_1942`` (the year 1942),
``soviet_fe.men_1941_06`` (June 1941), ``combat.soviet_effectiveness_aug_1939`` (August
1939), ``china.dead_1942_45`` (the years 1942 to 1945).  Outcomes are dated the same way
(``oil_stock_end_1942``), the Khalkhin Gol outcomes by the battle (1939) and the decision and
the conferences' choices by the last conference (1941).  A parameter is *later* than an outcome when the period it names starts after the
outcome's period ends: it cannot have caused it, and a box restricting it is a correlation of
the sample, not an explanation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_YEAR_MONTH = re.compile(r"_(19\d\d)_(\d\d)(?:_|$)")
_MONTH_YEAR = re.compile(r"_(" + "|".join(_MONTHS) + r")_(19\d\d)(?:_|$)")
_YEAR = re.compile(r"_(19\d\d)(?:_|$)")

#: Outcomes whose names carry no date: the year they are settled in.
SETTLED_IN: dict[str, int] = {
    "decision": 1941, "conference_1_choice": 1940, "conference_2_choice": 1941,
    "conference_3_choice": 1941, "conference_4_choice": 1941, "kantokuen_peak_men": 1941,
    "kantokuen_cancelled_date": 1941, "nomonhan_shock": 1939, "cabinet_fall_days": 1939,
}


def named_period(name: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the year or month a name carries, or None."""
    if m := _YEAR_MONTH.search(name):
        year, month = int(m.group(1)), int(m.group(2))
        if month > 12 and month >= year % 100:  # a span of years: ``china.dead_1942_45``
            return dt.date(year, 1, 1), dt.date(year - year % 100 + month, 12, 31)
    elif m := _MONTH_YEAR.search(name):
        year, month = int(m.group(2)), _MONTHS.index(m.group(1)) + 1
    elif m := _YEAR.search(name):
        year = int(m.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        return None
    if not 1 <= month <= 12:
        return None
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, 1), nxt - dt.timedelta(days=1)


def outcome_settled_by(names: Iterable[str]) -> dt.date | None:
    """The last day by which every outcome in ``names`` is settled, or None when one of them
    has no date (then nothing is left out)."""
    ends = []
    for name in names:
        if name in SETTLED_IN:
            ends.append(dt.date(SETTLED_IN[name], 12, 31))
        elif name.startswith("kg_"):
            ends.append(dt.date(1939, 12, 31))
        elif (period := named_period(name)) is not None:
            ends.append(period[1])
        else:
            return None
    return max(ends) if ends else None


def later_parameters(params: Iterable[str], outcomes: Iterable[str]) -> dict[str, dt.date]:
    """The parameters whose named period starts after the outcomes are settled, with the day
    that period starts."""
    settled = outcome_settled_by(outcomes)
    if settled is None:
        return {}
    out = {}
    for name in params:
        period = named_period(name)
        if period is not None and period[0] > settled:
            out[name] = period[0]
    return out
