"""The selective stage (being built: shows the stage frame only)."""

from gtcode.tui.screens.stage import StageScreen


class SelectiveScreen(StageScreen):
    STAGE = "selective"
