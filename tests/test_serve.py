"""`gtcode serve`: the TUI in a browser. Headless Chromium loads the page, opens a document, sees its text.

Needs Debian's `chromium` and `chromium-driver` packages and `selenium` from PyPI; skipped without them.
The terminal is drawn on a canvas, so the test reads what the app sent: the page's WebSocket frames, from
Chromium's performance log.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
selenium = pytest.importorskip("selenium", reason="selenium is not installed: pip install selenium")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="chromium/chromedriver absent: apt-get install -y chromium chromium-driver")

TEXT = "Respondent: The county clinic adopted telemedicine last spring. Villagers no longer travel."
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


class Frames:
    """Text the app sent to the browser so far, escape sequences removed."""

    def __init__(self, driver):
        self.driver, self.text = driver, ""

    def read(self) -> str:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.webSocketFrameReceived":
                response = message["params"]["response"]
                data = response["payloadData"]
                if response.get("opcode") == 2:
                    data = base64.b64decode(data).decode("utf-8", "replace")
                self.text += ANSI.sub("", data)
        return self.text


@pytest.fixture
def served(sqlite_project):
    from gtcode.services.corpus import add_document

    add_document(sqlite_project, "Demo interview", TEXT, kind="interview")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "gtcode", "--project", str(sqlite_project.directory),
                                "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def listening() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_for(listening, 30, "gtcode serve to listen")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_shows_the_reader_of_a_document_in_headless_chromium(served):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--window-size=1400,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.get(served)
        frames = Frames(driver)
        wait_for(lambda: "Demo interview" in frames.read(), 40, "the document list in the browser")
        terminal = driver.find_element(By.CSS_SELECTOR, ".textual-terminal")
        terminal.click()
        assert "telemedicine" not in frames.read()  # the list shows titles, not the text
        for _ in range(20):  # the list may still be loading: press Enter until the reader opens
            terminal = driver.switch_to.active_element
            terminal.send_keys(Keys.ENTER)
            time.sleep(0.5)
            if "telemedicine" in frames.read():
                break
        assert "telemedicine" in frames.read(), frames.text[-500:]
    finally:
        driver.quit()
