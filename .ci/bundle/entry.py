"""The bundle's entry point: the same as the ``khuyencong`` command of an installed package."""

from desktop_app.launcher import run

if __name__ == "__main__":
    run()
