"""analyze: parse a conftest into a ConftestModel, build its fixture graph and rate each fixture's impact.

``parse`` (with ``gather``, ``references``, ``recognize``, ``classify``, ``unmovable``)
turns the source into definitions; ``graph`` and ``impact`` build the dependency graph
and rate it; ``measure`` and ``cache`` time and weigh imports; ``analysis`` ties them
together into an :class:`~splitter.model.Analysis`.
"""
