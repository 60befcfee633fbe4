def test_answer(answer, doubled):
    assert doubled == 2 * answer == 84
