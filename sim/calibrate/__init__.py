"""Likelihood-free Bayesian calibration of the judgement parameters to the documented record.

ABC-SMC (pyabc) over uniform priors on the registry's credible ranges, against targets that
summarise the outcomes with their documented bands (:mod:`sim.calibrate.tables`); every
particle is simulated through the engine with one seed (common random numbers).  The result is
a versioned posterior file that a scenario uses as a joint distribution
(``{dist: ensemble, file: ...}``, :mod:`sim.ensemble`).  See docs/calibration.md.

Modules: ``targets`` (a target, its statistic and distance), ``tables`` (the T1-T15 and POL
tables), ``priors`` (which parameters, their priors), ``abc`` (pyabc's sampler, simulator and
tolerance schedule), ``fit`` (the folder and its generations), ``posterior`` (the posterior
file), ``checks`` (predictive checks and figures), ``workflow`` (start, continue, finish).
"""

from sim.calibrate.fit import Calibration
from sim.calibrate.priors import (DEFAULT_PARAMETERS, build_priors, parse_prior, scenario_priors,
                                  select_parameters)
from sim.calibrate.workflow import complete, resume, select_targets, start
from sim.calibrate.targets import Target, TargetSet

__all__ = ["Calibration", "DEFAULT_PARAMETERS", "Target", "TargetSet", "build_priors",
           "complete", "parse_prior", "resume", "scenario_priors", "select_parameters",
           "select_targets", "start"]
