"""The hot paths made cheaper give exactly what the plain code gave, and the final assembly
reads each chunk once.

The ledger, the sampler and runs.csv's dates run on every event or every replication; their
faster forms must give the same floats and the same text (runs.csv is pinned byte for byte
by ``test_golden``), which these tests check against the plain arithmetic directly.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import pytest

from sim import engine
from sim.model import accounts
from sim.model.accounts import N_ACCOUNTS, N_SERIES, OIL, SOVIET_FE, Ledger
from sim.results import ChunkLedger, codec
from sim.scenario import load_scenario

from conftest import SCENARIOS

HORIZON = dt.date(1945, 9, 2)


class PlainLedger:
    """The ledger's arithmetic one account and one month end at a time: the reference."""

    def __init__(self, horizon: dt.date) -> None:
        self.t = 0.0
        self.values = [0.0] * N_ACCOUNTS
        self.rates = [0.0] * N_ACCOUNTS
        self.month_days = accounts.month_end_days(horizon)
        self.k = 0
        self.fe_floor = 0.0
        self.samples: list[list[float]] = [[] for _ in range(N_SERIES)]

    def advance(self, t: float) -> None:
        if t <= self.t:
            return
        v, r, t0 = self.values, self.rates, self.t
        while self.k < len(self.month_days) and self.month_days[self.k] <= t:
            m = self.month_days[self.k]
            for s in range(N_SERIES):
                x = v[s] if r[s] == 0.0 else v[s] + r[s] * (m - t0)
                self.samples[s].append(x)
            self.k += 1
        d = t - t0
        v[:] = [a + b * d for a, b in zip(v, r)]
        if v[OIL] < 0.0:
            v[OIL] = 0.0
        if v[SOVIET_FE] < self.fe_floor and r[SOVIET_FE] < 0.0:
            v[SOVIET_FE] = self.fe_floor
        self.t = t


def _script(seed: int) -> list[tuple[float, list[float], list[float], float]]:
    """Random event times with the values and rates set at each (-1: unchanged); values stay
    far above the floors, so every month end is plain arithmetic."""
    rng = random.Random(seed)
    t, out = 0.0, []
    while t < 2500.0:
        t += rng.choice([0.0, 0.5, 1.0, rng.uniform(0.0, 90.0), 400.0])
        values = [rng.uniform(1e5, 1e6) if rng.random() < 0.2 else -1.0
                  for _ in range(N_ACCOUNTS)]
        rates = [rng.choice([0.0, rng.uniform(-5.0, 5.0), 3]) if rng.random() < 0.3 else -1.0
                 for _ in range(N_ACCOUNTS)]
        out.append((t, values, rates, rng.uniform(0.0, 10.0)))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_ledger_gives_the_plain_arithmetics_floats(seed: int) -> None:
    fast, plain = Ledger(HORIZON), PlainLedger(HORIZON)
    for s in (fast, plain):
        s.values[:] = [1e6] * N_ACCOUNTS
    for t, values, rates, floor in _script(seed):
        for ledger in (fast, plain):
            ledger.advance(t)
            for i, (x, r) in enumerate(zip(values, rates)):
                if x >= 0.0:
                    ledger.values[i] = x
                if r != -1.0:
                    ledger.rates[i] = r
            ledger.fe_floor = floor
        assert fast.values == plain.values and fast.t == plain.t
        assert all(type(x) is float for x in fast.values)
    fast.finish()
    plain.advance(max(plain.t, plain.month_days[-1]))
    got = fast.sample_array()
    assert got.shape == (N_SERIES, len(plain.month_days))
    assert fast.k == len(fast.month_days)
    assert np.array_equal(got, np.array(plain.samples))
    assert fast.samples == plain.samples


def test_ledger_past_its_last_month_end_notes_nothing_more() -> None:
    ledger = Ledger(dt.date(1939, 3, 31))
    ledger.rates[OIL] = 1.0
    ledger.advance(200.0)
    first = ledger.sample_array().copy()
    ledger.advance(300.0)
    ledger.finish()
    assert np.array_equal(ledger.sample_array(), first)
    assert first[OIL].tolist() == [31.0, 59.0, 90.0]
    assert ledger.values[OIL] == 300.0


def test_ledger_floors_oil_and_the_far_east_as_before() -> None:
    ledger = Ledger(dt.date(1939, 6, 30))
    ledger.values[OIL], ledger.rates[OIL] = 40.0, -1.0
    ledger.values[SOVIET_FE], ledger.rates[SOVIET_FE] = 100.0, -1.0
    ledger.fe_floor = 70.0
    ledger.finish()
    oil, fe = ledger.samples[OIL], ledger.samples[SOVIET_FE]
    assert oil[0] == 9.0 and all(x == 0.0 for x in oil[1:])
    assert fe[0] == 70.0 and all(x == 70.0 for x in fe)
    assert ledger.values[OIL] == 0.0 and ledger.values[SOVIET_FE] == 70.0


def test_sampler_draws_the_same_values_from_arrays_lists_and_whole_numbers() -> None:
    sampler = load_scenario(SCENARIOS / "historical.yaml").sampler()
    u = np.random.default_rng(3).random(sampler.n)
    want = {name: (int(round(dist.ppf(float(u[idx])))) if kind == "int"
                   else dist.ppf(float(u[idx])))
            for idx, name, dist, kind in sampler.uncertain}
    for given in (u, list(u), tuple(u.tolist())):
        got = sampler.draw(given)
        assert {k: got[k] for k in want} == want
        assert all(type(got[k]) is type(want[k]) for k in want)
    assert sampler.draw(np.zeros(sampler.n, dtype=np.int64)) == sampler.draw([0.0] * sampler.n)


def test_runs_csv_dates_are_iso_text_and_their_table_is_bounded(monkeypatch) -> None:
    days = np.array([codec.NAT, 0, -11_000, 2_000, 0, codec.NAT], dtype=np.int64)
    codes = codec.empty_codes(len(days))
    date_name = next(o.name for o in codec.OUTCOMES if o.kind == "date")
    codes[date_name] = days
    position = 1 + [o.name for o in codec.OUTCOMES].index(date_name)
    cells = [line.rstrip("\n").split(",")[position]
             for line in codec.csv_rows(np.arange(len(days)), codes)]
    assert cells == ["", "1970-01-01", "1939-11-20", "1975-06-24", "1970-01-01", ""]
    monkeypatch.setattr(codec, "_ISO_DAYS", {codec.NAT: ""})
    monkeypatch.setattr(codec, "_ISO_DAYS_MAX", 3)
    for d in range(10):
        assert codec._iso_day(d) == (dt.date(1970, 1, 1) + dt.timedelta(days=d)).isoformat()
    assert len(codec._ISO_DAYS) == 3


def test_final_assembly_reads_each_chunk_once_in_order(tmp_path: Path, monkeypatch) -> None:
    from test_engine import toy_model, toy_scenario_on_registry

    read: list[int] = []
    csv_parts: list[list[int]] = []
    columns, assemble_csv = ChunkLedger.columns, ChunkLedger.assemble_csv

    def counting_columns(self, start, specs):  # type: ignore[no-untyped-def]
        read.append(start)
        return columns(self, start, specs)

    def counting_csv(self, starts, out):  # type: ignore[no-untyped-def]
        starts = list(starts)
        csv_parts.append(starts)
        return assemble_csv(self, starts, out)

    monkeypatch.setattr(ChunkLedger, "columns", counting_columns)
    monkeypatch.setattr(ChunkLedger, "assemble_csv", counting_csv)
    scenario = toy_scenario_on_registry()
    chunked = tmp_path / "chunked"
    engine.run(scenario, runs=700, seed=4, workers=1, chunk_size=100, out=chunked,
               model=toy_model, progress=False, plots=False)
    assert read == list(range(0, 700, 100))
    assert csv_parts == [list(range(0, 700, 100))]
    read.clear()
    whole = tmp_path / "whole"
    engine.run(scenario, runs=700, seed=4, workers=1, chunk_size=1000, out=whole,
               model=toy_model, progress=False, plots=False)
    assert read == [0]
    for name in ("runs.csv", "outcomes.npz", "summary.json", "series.npz"):
        assert (chunked / name).read_bytes() == (whole / name).read_bytes(), name
    assert not list((chunked / "chunks").glob(".column-*"))


def test_an_ensembles_quantile_function_picks_the_rows_ppf_picks() -> None:
    """The sampler's closure over a posterior column gives ``ppf``'s value for every uniform,
    at the ends and on each row's boundary in the cumulative weights."""
    sampler = load_scenario(SCENARIOS / "historical.yaml").sampler()
    ensembles = [d for _, _, d, _ in sampler.uncertain if d.dist == "ensemble"]
    assert ensembles
    for dist in ensembles[:3]:
        cumulative = dist.table.cumulative
        us = [0.0, 1.0, np.nextafter(1.0, 0.0), *cumulative[:50],
              *(np.nextafter(c, 0.0) for c in cumulative[:50])]
        fast = dist.quantile_function()
        assert [fast(float(u)) for u in us] == [dist.ppf(float(u)) for u in us]
