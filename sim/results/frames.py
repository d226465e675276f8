"""Results as pandas and xarray objects: the table of inputs and outcomes, and the series.

pandas and xarray are optional (the ``tables`` extra) and imported inside these functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.outcomes import OUTCOMES, SERIES, Outcome
from sim.results.inputs import InputSpec
from sim.results.series import QUANTILE_KEYS

_EXTRA = "pip install 'strike-north-or-south[tables]'"


def _need(module: str, what: str) -> Any:
    try:
        return __import__(module)  # optional: the [tables] extra
    except ImportError:
        raise ImportError(f"{what} needs {module}: {_EXTRA}") from None


def _dates(codes: np.ndarray) -> np.ndarray:
    """Day numbers (NaT for a missing date) as datetime64 values pandas keeps as they are."""
    return codes.astype(np.int64).view("datetime64[D]").astype("datetime64[s]")


def outcome_series(pd: Any, o: Outcome, codes: np.ndarray) -> Any:
    """One outcome column with its pandas dtype."""
    if o.kind == "category":
        return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(o.categories))
    if o.kind == "date":
        return _dates(codes)
    if o.kind == "count":  # whole men, as runs.csv and runs.parquet hold them
        return pd.array(np.round(codes), dtype="Int64")
    return codes


def input_series(pd: Any, spec: InputSpec, codes: np.ndarray) -> Any:
    """One drawn parameter's column with its pandas dtype."""
    if spec.kind == "choice":
        return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(spec.categories))
    if spec.kind == "date":
        return _dates(codes)
    return codes


def to_dataframe(results: Any, *, inputs: bool = True) -> Any:
    """One row per replication (indexed by its number): drawn inputs, then outcomes."""
    pd = _need("pandas", "Results.to_dataframe")
    columns: dict[str, Any] = {}
    if inputs:
        results.inputs  # NoInputs, one line, when the results do not hold them
        for spec in results.input_specs:
            columns[spec.name] = input_series(pd, spec, results.input_codes[spec.name])
    codes = results.codes
    read = codes.read if hasattr(codes, "read") else codes.__getitem__
    for o in OUTCOMES:
        columns[o.name] = outcome_series(pd, o, read(o.name))
    index = pd.Index(np.asarray(results.replications, dtype=np.int64), name="replication")
    return pd.DataFrame(columns, index=index)


def series_dataset(results: Any) -> Any:
    """The series summary: ``NAME`` (quantile x month) and ``NAME_runs`` (replication x month)
    per series, with units; the replications are the sampled ones, by index."""
    xr = _need("xarray", "Results.series_dataset")
    s = results.series
    sampled = max((int(s.sample[n].shape[0]) for n in s.names), default=0)
    data: dict[str, Any] = {}
    for name in s.names:
        unit = SERIES.get(name, "")
        q = np.stack([s.quantiles[name][k] for k in QUANTILE_KEYS])
        data[name] = (("quantile", "month"), q,
                      {"units": unit, "description": f"{name}: quantiles over the first "
                       f"{s.quantile_runs} replications; mean over all"})
        data[f"{name}_runs"] = (("replication", "month"), s.sample[name],
                                {"units": unit, "description": f"{name} of each sampled "
                                 "replication"})
    coords = {"month": np.array(s.months, dtype="datetime64[D]").astype("datetime64[ns]"),
              "quantile": list(QUANTILE_KEYS),
              "replication": np.asarray(results.replications[:sampled], dtype=np.int64)}
    attrs = {"scenario": str(getattr(results.scenario, "name", "")),
             "seed": -1 if results.manifest.get("seed") is None else results.manifest["seed"],
             "runs": results.n, "quantile_runs": s.quantile_runs}
    return xr.Dataset(data, coords=coords, attrs=attrs)

