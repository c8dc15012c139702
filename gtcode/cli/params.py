"""Click parameter types for the numbers users type (offsets, seeds): within what a database INTEGER holds."""

from __future__ import annotations

import click

from gtcode.domain.limits import MAX_NUMBER

NUMBER = click.IntRange(0, MAX_NUMBER)
