"""Placeholder replaced by the TUI work."""


def run_app(project) -> None:
    from textual.app import App

    App().run()
