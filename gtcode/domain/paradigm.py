"""The Strauss & Corbin paradigm model: six slots per main category."""

from __future__ import annotations

from enum import Enum

from gtcode.domain.errors import GtcodeError


class Slot(str, Enum):
    """A slot of the paradigm, in the order the paradigm reads."""

    CAUSAL = "causal"
    PHENOMENON = "phenomenon"
    CONTEXT = "context"
    INTERVENING = "intervening"
    STRATEGY = "strategy"
    CONSEQUENCE = "consequence"

    @property
    def title(self) -> str:
        return SLOT_TITLES[self]


SLOT_TITLES = {
    Slot.CAUSAL: "Causal conditions",
    Slot.PHENOMENON: "Phenomenon",
    Slot.CONTEXT: "Context (action vein)",
    Slot.INTERVENING: "Intervening conditions",
    Slot.STRATEGY: "Action/interaction strategies",
    Slot.CONSEQUENCE: "Consequences",
}


def parse_slot(name: str) -> Slot:
    """A slot from its name; raises GtcodeError naming the choices."""
    try:
        return Slot(name.strip().lower())
    except ValueError:
        choices = "|".join(slot.value for slot in Slot)
        raise GtcodeError(f"unknown paradigm slot {name!r}: use one of {choices}") from None
