"""The open stage (being built: shows the stage frame only)."""

from gtcode.tui.screens.stage import StageScreen


class OpenCodingScreen(StageScreen):
    STAGE = "open"
