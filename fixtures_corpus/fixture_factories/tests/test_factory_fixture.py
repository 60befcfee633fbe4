"""The ``make_user`` factory fixture tracks and cleans up what it creates."""


def test_db_starts_empty(user_db):
    # Users from earlier tests were deleted by the factory's teardown.
    assert user_db == {}


def test_make_user_defaults(make_user, user_db):
    user = make_user()
    assert (user.name, user.email, user.admin) == ("user", "user@example.test", False)
    assert user_db[user.id] is user


def test_make_several_users(make_user, user_db):
    users = [make_user(name=f"u{i}") for i in range(3)]
    assert make_user.created == users
    assert len({u.id for u in users}) == 3
    assert set(user_db) == {u.id for u in users}


def test_admin_user_uses_same_factory(admin_user, make_user, user_db):
    assert admin_user.admin is True
    assert make_user.created == [admin_user]
    other = make_user(name="other")
    assert set(user_db) == {admin_user.id, other.id}


def test_db_empty_again(user_db, gamma):
    assert user_db == {}
    assert gamma[0] == "g1"
