"""gtcode: a grounded-theory workbench for Chinese and English qualitative material."""

__version__ = "0.1.0"
