from decimal import Decimal

from roasterdesk.domain import plausibility as PL


def test_ranges_name_the_value_and_say_error_or_warning():
    assert PL.ALTITUDE_M.check(1800) is None
    assert PL.ALTITUDE_M.check(4287) == ("altitude 4287 m is outside 0–3000 m", True)
    assert PL.ALTITUDE_M.check(Decimal("16.8")) == ("altitude 16.8 m is not a whole number", True)
    assert PL.CUP_SCORE.check(Decimal(150))[1] is True
    assert PL.CUP_SCORE.check(Decimal(45)) == ("cup score 45 is unusual (usually 60–100)", False)
    assert PL.BAG_KG.check(Decimal(0.5))[1] is True
    assert PL.moisture(Decimal(0)) == ("moisture 0 % read as not recorded", False)
    assert PL.moisture(Decimal(11)) is None
    assert PL.moisture(Decimal(25))[1] is True
    assert PL.positive("bags", -3) == ("bags must be more than 0 (not -3)", True)
    assert PL.positive("bags", 3) is None
