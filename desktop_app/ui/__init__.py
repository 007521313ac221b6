"""PySide6 widgets: every Qt import of the program lives here. The GUI is a client of the services."""
