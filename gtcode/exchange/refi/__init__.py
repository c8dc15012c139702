"""REFI-QDA exchange (``.qdc`` codebooks, ``.qdpx`` projects) as pure code over frozen records."""

from gtcode.exchange.refi import model
from gtcode.exchange.refi.model import *  # noqa: F403 - the records are the package's API
from gtcode.exchange.refi.read import read_codebook, read_qdc, read_qdpx
from gtcode.exchange.refi.write import write_qdc, write_qdpx

__all__ = [*model.__all__, "read_codebook", "read_qdc", "read_qdpx", "write_qdc", "write_qdpx"]
