def test_only_this_file_is_collected(request):
    files = {item.path.name for item in request.session.items}
    assert files == {"test_collected.py"}


def test_fixtures(answer, greeting):
    assert (answer, greeting) == (42, "hello")
