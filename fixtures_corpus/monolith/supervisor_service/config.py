"""Runtime settings, read from the environment."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = "change-me"
    database_url: str = "sqlite+pysqlite:///:memory:"
    redis_url: str = "redis://localhost:6379/0"
    clickhouse_url: str = "http://localhost:8123"
    session_ttl_seconds: int = 3600
    token_max_age_seconds: int = 3600
    max_concurrent_runs: int = 8
    memory_soft_limit_mb: int = 1024
    debug: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            env=env.get("SUPERVISOR_ENV", cls.env),
            secret_key=env.get("SUPERVISOR_SECRET_KEY", cls.secret_key),
            database_url=env.get("DATABASE_URL", cls.database_url),
            redis_url=env.get("REDIS_URL", cls.redis_url),
            clickhouse_url=env.get("CLICKHOUSE_URL", cls.clickhouse_url),
            session_ttl_seconds=int(env.get("SESSION_TTL_SECONDS", cls.session_ttl_seconds)),
            token_max_age_seconds=int(env.get("TOKEN_MAX_AGE_SECONDS", cls.token_max_age_seconds)),
            max_concurrent_runs=int(env.get("MAX_CONCURRENT_RUNS", cls.max_concurrent_runs)),
            memory_soft_limit_mb=int(env.get("MEMORY_SOFT_LIMIT_MB", cls.memory_soft_limit_mb)),
            debug=_as_bool(env.get("SUPERVISOR_DEBUG", "0")),
        )

    def with_overrides(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def is_production(self) -> bool:
        return self.env == "production"
