"""The application: a database (SQLAlchemy) and reports (pandas), built from the settings."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from envapp.settings import SETTINGS

METADATA = sa.MetaData()
ORDERS = sa.Table(
    "orders",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("region", sa.String, nullable=False),
    sa.Column("amount", sa.Float, nullable=False),
)


class App:
    """What the tests drive: an engine with the schema, and a report over it."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        METADATA.create_all(engine)

    def add_order(self, amount: float) -> None:
        with self.engine.begin() as connection:
            connection.execute(ORDERS.insert().values(region=SETTINGS.region, amount=amount))

    def report(self) -> pd.DataFrame:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(ORDERS.c.region, ORDERS.c.amount)).all()
        frame = pd.DataFrame(rows, columns=["region", "amount"])
        return frame.groupby("region", as_index=False)["amount"].sum()


def create_app() -> App:
    return App(sa.create_engine(SETTINGS.database_url))
