"""The documents stage (being built: shows the stage frame only)."""

from gtcode.tui.screens.stage import StageScreen


class DocumentsScreen(StageScreen):
    STAGE = "documents"
