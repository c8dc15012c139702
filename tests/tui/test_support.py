"""The Pilot helpers wait for what they say they wait for, also on a machine too busy to give the tests CPU."""

import asyncio

from textual.app import App
from textual.message import Message
from textual.widgets import Static

from gtcode.tui.workers import run_service
from tests.tui.support import settle

HOPS = 60  # messages from one widget to the other before a worker starts (a pause sees about 5 of them)


class Hop(Message):
    """One step of a chain of messages: ``left`` more to go."""

    def __init__(self, left: int) -> None:
        super().__init__()
        self.left = left


class Relay(Static):
    """Hands each ``Hop`` on to the other relay until none are left, then reads the end of the chain in a worker
    (a widget reads its own queue without a pause between messages; a hop to another widget waits its turn)."""

    def on_hop(self, message: Hop) -> None:
        message.stop()
        if message.left:
            other = next(relay for relay in self.app.relays if relay is not self)
            other.post_message(Hop(message.left - 1))
        else:
            run_service(self, lambda: "end", self.app.shown.append, group="end")


class Chain(App):
    """Two relays: a chain of messages between them ends in a worker."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.relays = [Relay(), Relay()]

    def compose(self):
        yield from self.relays


async def test_settle_waits_for_a_chain_of_messages_on_a_starved_machine(monkeypatch):
    async def looks_idle_at_once(*_args, **_kwargs) -> None:  # a process given no CPU looks idle to Textual
        await asyncio.sleep(0)

    monkeypatch.setattr("textual.pilot.wait_for_idle", looks_idle_at_once)
    app = Chain()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.relays[0].post_message(Hop(HOPS))  # as a worker's result may: no worker runs until the chain ends
        await settle(pilot)
        assert app.shown == ["end"]
