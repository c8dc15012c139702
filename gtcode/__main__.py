"""`python -m gtcode` runs the command line."""

from gtcode.cli.main import main

if __name__ == "__main__":
    main()
