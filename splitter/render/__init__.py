"""Render a :class:`~splitter.plan.assign.SplitPlan` into module sources (pure).

``loader`` writes the new root conftest with its lazy stubs, ``modules`` the
split modules, ``imports`` gives each module exactly the imports it uses and
``format`` runs black with the target project's configuration.
"""
