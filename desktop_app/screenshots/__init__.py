"""``khuyencong screenshots``: a PNG of every main screen with demo data (:mod:`.command` runs it, :mod:`.shots`
grabs the screens).

This package sits above the GUI: it drives the screens of :mod:`desktop_app.ui`, which never imports it (the
architecture test checks it); the launcher dispatches the command here.
"""
