"""Pure functions the actors call: no SimPy, no state, no random streams of their own.

* :mod:`~sim.model.kernels.combat` and :mod:`~sim.model.kernels.attrition`: the Lanchester-type
  attrition law and its integrator;
* :mod:`~sim.model.kernels.calibration`: the kernel's fit to the CDB90 battles;
* :mod:`~sim.model.kernels.khalkhin_gol_battle`: the two phases of the 1939 battle;
* :mod:`~sim.model.kernels.decision`: the leadership's multinomial-logit choice;
* :mod:`~sim.model.kernels.logistics`: truck, rail and shipping lift;
* :mod:`~sim.model.kernels.fortune`: median-1 random factors from a uniform.
"""
