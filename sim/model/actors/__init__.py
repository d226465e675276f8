"""The actors of the model, one module per historical actor or episode.

Each module holds an :class:`~sim.model.actor.Actor` subclass: the parameters it reads, its
state, its SimPy process(es), the rates it owns and the outcomes it records.  The order in which
they take part is :data:`sim.model.assembly.ACTORS`.
"""
