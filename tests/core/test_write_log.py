"""The log of rows this process has written, which the match index catches up on."""

from app.db.writes import WriteLog


def test_rows_written_since_a_point_or_none_once_some_were_forgotten():
    log = WriteLog(size=3)
    assert log.since(0) == (0, set())
    log.record({("capabilities", 1)})
    log.record({("requirements", 2), ("audit_entries", 9)})
    last, rows = log.since(0)
    assert last == 3 and rows == {("capabilities", 1), ("requirements", 2), ("audit_entries", 9)}
    assert log.since(1)[1] == {("requirements", 2), ("audit_entries", 9)}
    assert log.since(3) == (3, set())
    # a reader whose snapshot began after the first write takes in only that one
    assert log.since(0, upto=1) == (1, {("capabilities", 1)})
    log.record({("capabilities", 4)})  # the first row is forgotten
    assert log.since(0) == (4, None)  # a reader that had not seen it must look for itself
    assert log.since(1)[1] == {("requirements", 2), ("audit_entries", 9), ("capabilities", 4)}
