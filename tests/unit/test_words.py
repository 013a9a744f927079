from roasterdesk.domain.words import plural


def test_one_plural_helper():
    assert plural(1, "harvest") == "1 harvest"
    assert plural(0, "harvest") == "0 harvests"
    assert plural(1311, "row") == "1,311 rows"
    assert plural(2, "country", "countries") == "2 countries"
