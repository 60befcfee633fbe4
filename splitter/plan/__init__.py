"""plan: assign every definition to a target module (pure), and check a rendered split.

``assign`` turns an :class:`~splitter.model.Analysis` into a :class:`~splitter.plan.assign.SplitPlan`;
``check`` proves the rendered files hold every definition exactly once.
"""
