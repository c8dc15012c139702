"""Developer tool: autogenerate the next Alembic revision from the tables."""

import os
import sys

from alembic import command
from alembic.config import Config

from gtcode.store.engine import MIGRATIONS


def main() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", os.environ["GTCODE_DB_URL"])
    command.upgrade(config, "head")
    heads = len(list((MIGRATIONS / "versions").glob("*.py")))
    command.revision(config, message=sys.argv[1], autogenerate=True, rev_id=f"{heads + 1:04d}")


if __name__ == "__main__":
    main()
