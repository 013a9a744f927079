"""Which harvest a month belongs to, by the producer's months or the country's calendar."""

import pytest

from roasterdesk.domain.harvest import harvest_of_month, harvest_start


def test_a_month_belongs_to_the_crop_year_that_starts_with_the_harvest():
    assert harvest_of_month(2023, 10, "CO") == 2024  # 2023/24
    assert harvest_of_month(2023, 9, "CO") == 2023
    assert harvest_of_month(2023, 6, "BR") == 2023
    assert harvest_of_month(2023, 1, "BR") == 2022  # before May: the crop year of 2022
    assert harvest_of_month(2023, 12, "", (11, 12, 1, 2)) == 2024  # the producer's months
    assert harvest_of_month(2023, 3, "CO", (4, 5, 6)) == 2022


def test_an_unknown_calendar_or_month_is_an_error():
    with pytest.raises(ValueError, match="not known"):
        harvest_of_month(2023, 10, "US")
    with pytest.raises(ValueError, match="month 13"):
        harvest_of_month(2023, 13, "CO")
    assert harvest_start("US") is None
    assert harvest_start("US", tuple(range(1, 13))) is None  # all year: no start
