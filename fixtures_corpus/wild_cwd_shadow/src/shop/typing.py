"""The shop's own type aliases; its name shadows the standard library's ``typing`` for code
run from this folder with the folder on ``sys.path`` (``python -c``, ``python -m``)."""

from typing import NewType

Sku = NewType("Sku", str)
Cents = NewType("Cents", int)
