# PyInstaller runtime hook: let pyzbar find the libzbar bundled beside the app.
# pyzbar looks the library up with ctypes.util.find_library, which searches the system's
# ldconfig cache and never the app's own folder.
import ctypes.util
import os
import sys

_bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "libzbar.so.0")
if os.path.exists(_bundled):
    _find_library = ctypes.util.find_library

    def _find_library_with_bundled_zbar(name):
        return _bundled if name == "zbar" else _find_library(name)

    ctypes.util.find_library = _find_library_with_bundled_zbar
