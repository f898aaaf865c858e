"""Fonts come from the theme only: fontconfig is told of no font of the machine.

Where a machine has DejaVu or Droid fonts, a character the theme's fonts lack would be set in
one of them, and the PDF would differ from machine to machine. WeasyPrint reaches fonts
through fontconfig, so before it loads (`pdf.start_rendering`), FONTCONFIG_FILE names a
configuration with no font folder at all: every font is one of the theme's, given by its
@font-face rules (a folder of the built-in fonts here would win over a project's file of the
same name).
A character no theme font has is found by `check` (glyphs.py), not set in a stranger's font.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

from .. import atomic_write
from ..builtin import BUILTIN_THEME
from .kept import kept_path

CONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""
# WeasyPrint's word for a configuration without font folders, which is what we want.
NO_FOLDERS_WARNING = "No fonts configured in FontConfig"


def use_theme_fonts_only() -> Path:
    """Point fontconfig at a configuration without the machine's fonts (before WeasyPrint
    loads), and silence WeasyPrint's warning about it."""
    warnings.filterwarnings("ignore", NO_FOLDERS_WARNING, UserWarning)
    key = hashlib.sha256(str(BUILTIN_THEME).encode()).hexdigest()[:12]
    folder = kept_path(f"fontconfig-{key}")
    config = folder / "fonts.conf"
    text = CONFIG.format(cache=folder / "cache")
    atomic_write.write(config, text.encode(), private=True)  # whole, for two builds at once
    os.environ["FONTCONFIG_FILE"] = str(config)
    return config
