"""Unified social credit codes (统一社会信用代码, GB 32100-2015), via python-stdnum."""

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def validate_uscc(value: str) -> str:
    """The code in its compact form, or ValueError with a message a person can act on."""
    try:
        return uscc.validate(value)
    except InvalidLength:
        raise ValueError("a unified social credit code has exactly 18 characters") from None
    except InvalidFormat:
        raise ValueError(
            "a unified social credit code is 8 digits then 10 characters from 0-9 and A-Y "
            "(no I, O, S, V or Z)"
        ) from None
    except InvalidChecksum:
        raise ValueError(
            "the check character (the 18th) does not match; check for a typo"
        ) from None
    except ValidationError:
        raise ValueError("not a valid unified social credit code") from None


def make_uscc(region_code: str, serial: int, *, registry: str = "91") -> str:
    """A well-formed code for demo and test data: registry + region + 9-char serial + check."""
    digits = []
    for _ in range(9):
        serial, rest = divmod(serial, len(ORG_ALPHABET))
        digits.append(ORG_ALPHABET[rest])
    body = registry + region_code + "".join(reversed(digits))
    return body + uscc.calc_check_digit(body)
