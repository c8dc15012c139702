"""The one type of refusal: a request gtcode declines, with one line saying what was wrong and what to do.

Every layer raises it (or a subclass) for bad input and refused actions; the faces show it as one line. Any
other exception is a bug in gtcode.
"""


class GtcodeError(Exception):
    """A refused request; the message is one line for the user."""
