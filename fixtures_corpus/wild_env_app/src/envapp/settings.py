"""Settings read from the environment when the package is imported; a missing one is an error."""

from __future__ import annotations

import os
from dataclasses import dataclass

REQUIRED = ("ENVAPP_ENV", "ENVAPP_DATABASE_URL", "ENVAPP_SECRET_KEY", "ENVAPP_REGION")


class MissingSetting(RuntimeError):
    """An environment variable envapp needs is not set."""


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    secret_key: str
    region: str


def from_environment() -> Settings:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise MissingSetting(f"envapp needs {', '.join(missing)} in the environment")
    return Settings(*(os.environ[name] for name in REQUIRED))


SETTINGS = from_environment()
