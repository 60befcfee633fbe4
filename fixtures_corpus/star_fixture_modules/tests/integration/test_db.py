"""Database tests: they use the star-imported fixtures and helpers."""

from tests.conftest import DB_URL, User, make_user

ENGINES = []


def test_db_url_is_importable_from_the_conftest():
    assert DB_URL == "sqlite://"


def test_session_adds_users(db_session, db_engine):
    ENGINES.append(db_engine)
    user = make_user(db_session, "edsger")
    assert isinstance(user, User) and user.id is not None


def test_engine_is_session_scoped(db_engine):
    ENGINES.append(db_engine)
    assert len(ENGINES) == 2 and ENGINES[0] is ENGINES[1]


def test_name_alias(user_row):
    assert user_row.name == "grace"


def test_seeded_session(seeded_session):
    assert seeded_session.query(User).count() == 2


def test_backend_params(backend, request):
    assert request.node.callspec.id in ("lite", "pg")
    assert backend in ("sqlite", "postgres")
