def test_the_frame_has_its_rows(frame):
    assert len(frame) == 3


def test_the_title(title):
    assert title.startswith("Monthly")
