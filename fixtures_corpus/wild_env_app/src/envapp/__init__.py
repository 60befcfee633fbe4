"""envapp: a small service whose import needs its environment (like a FastAPI app's settings)."""

from envapp.settings import SETTINGS

__all__ = ["SETTINGS"]
