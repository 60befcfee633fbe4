"""safety: everything that touches the user's files — nothing is ever lost.

``disk`` (atomic writes), ``guards`` and ``preflight`` (refuse unsafe trees),
``manifest`` and ``journal`` (the backup and the write-ahead log), ``write``
(apply a migration) and ``restore`` (undo it byte for byte).
"""
