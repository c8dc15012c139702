"""Packages of gtcode, with the repository's top-level data folders mapped into ``gtcode.bundled``."""

from setuptools import find_packages, setup

BUNDLED = {"gtcode.bundled.corpora": "corpora", "gtcode.bundled.codebooks": "codebooks"}

setup(packages=find_packages(include=["gtcode*"]) + list(BUNDLED), package_dir=BUNDLED)
