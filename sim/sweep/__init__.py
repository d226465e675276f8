"""One- and two-way sweeps: how outcomes move as one or two assumptions move.

``--vary KEY=LOW:HIGH:STEPS`` puts STEPS evenly spaced values between LOW and HIGH (dates
allowed for date parameters; whole numbers for integer ones); true/false and choice
parameters take a comma-separated list (``--vary embargo.enabled=true,false``).  Every grid
point runs with the same seed in one :func:`sim.engine.run_batch`, so neighbouring points
share their random draws and the curves are smooth rather than noisy.

:mod:`.grid` parses what varies, :mod:`.measures` what is reported, :mod:`.run` runs the grid
and holds the results, :mod:`.figure` draws them.
"""

from sim.sweep.figure import plot_sweep
from sim.sweep.grid import MAX_POINTS, Vary, parse_vary
from sim.sweep.measures import Measure, parse_measures
from sim.sweep.run import Sweep, sweep

__all__ = ["MAX_POINTS", "Measure", "Sweep", "Vary", "parse_measures", "parse_vary",
           "plot_sweep", "sweep"]
