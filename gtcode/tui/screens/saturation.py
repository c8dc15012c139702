"""The saturation stage (being built: shows the stage frame only)."""

from gtcode.tui.screens.stage import StageScreen


class SaturationScreen(StageScreen):
    STAGE = "saturation"
