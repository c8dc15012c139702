"""The axial stage (being built: shows the stage frame only)."""

from gtcode.tui.screens.stage import StageScreen


class AxialScreen(StageScreen):
    STAGE = "axial"
