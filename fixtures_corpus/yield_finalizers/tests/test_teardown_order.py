"""Yield teardown, LIFO finalizers and nested fixtures."""


def test_resource_open_during_test(resource, record):
    assert resource == {"open": True}
    record("body")


def test_previous_resource_was_closed(resource, record):
    # Every test that set up ``resource`` before this one also tore it down.
    log = record.log
    setups = [owner for owner, event in log if event == "setup:resource"]
    teardowns = [owner for owner, event in log if event == "teardown:resource"]
    assert setups[:-1] == teardowns
    assert resource["open"] is True


def test_stacked_finalizers(stacked_finalizers, record, request):
    assert stacked_finalizers == [1, 2, 3]
    # Nothing finalized yet; the audit fixture checks LIFO order at teardown.
    assert not [e for e in record.events_for(request.node.nodeid) if e.startswith("fin:")]


def test_nested_yield(inner, record, request):
    assert inner == ["outer", "middle", "inner"]
    assert record.events_for(request.node.nodeid) == [
        "setup:outer", "setup:middle", "setup:inner",
    ]


def test_nested_teardown_order_of_earlier_test(record):
    # If test_nested_yield ran in this process, its teardown went inner -> outer.
    nodeid = __name__.replace(".", "/") + ".py::test_nested_yield"
    events = record.events_for(nodeid)
    if events:
        assert events[-3:] == ["teardown:inner", "teardown:middle", "teardown:outer"]
