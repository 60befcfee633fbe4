def test_letter(letter, request):
    assert request.node.callspec.id == letter.upper()


def test_every_value_became_a_param(request):
    ids = sorted(item.name for item in request.session.items if item.originalname == "test_letter")
    assert ids == ["test_letter[A]", "test_letter[B]", "test_letter[C]"]


def test_settings_read_after_their_changes(settings_snapshot):
    assert settings_snapshot == {"mode": "strict"}


def test_tuple_grown_in_place(tags):
    assert tags == ("unit", "fast")


def test_attribute_set_before_it_was_read(debug_at_import):
    assert debug_at_import is True


def test_registry_filled_before_it_was_counted(plugin_count, plugins):
    assert plugin_count == 2
    assert plugins == ["alpha", "beta"]
