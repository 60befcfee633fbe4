"""Values and IDs produced by the parametrized fixtures."""


def test_file_format(file_format, request):
    assert file_format in ("json", "csv", "xml")
    assert request.node.callspec.id == file_format


def test_number_ids(number, request):
    expected_id = {0: "zero", 1: "one", -1: "minus-one"}[number]
    assert request.node.callspec.id == expected_id
    assert request.node.callspec.params["number"] == number


def test_addition_case(addition_case, request):
    a, b, expected = addition_case
    assert a + b == expected
    assert request.node.callspec.id == f"{a}+{b}={expected}"


def test_log_level(log_level, request):
    assert log_level in {"DEBUG", "INFO", "WARNING"}
    assert request.node.callspec.id == log_level


def test_retry_attempt(retry_attempt, request):
    assert 0 <= retry_attempt < 3
    assert request.node.callspec.id == f"attempt{retry_attempt}"


def test_batch_combines_two_param_sets(batch, number, request):
    assert batch["offset"] == number
    assert batch["size"] in (1, 10)
    size_id = "small" if batch["size"] == 1 else "large"
    number_id = {0: "zero", 1: "one", -1: "minus-one"}[number]
    # IDs are joined in parametrization order: batch's own param, then number's.
    assert request.node.callspec.id == f"{size_id}-{number_id}"


def test_all_expected_ids_collected(request):
    ids = sorted(
        item.name for item in request.session.items
        if item.originalname in ("test_file_format", "test_retry_attempt")
    )
    assert ids == [
        "test_file_format[csv]", "test_file_format[json]", "test_file_format[xml]",
        "test_retry_attempt[attempt0]", "test_retry_attempt[attempt1]",
        "test_retry_attempt[attempt2]",
    ]
