"""Report files written reproducibly: zip archives with fixed times (the atomic writers are qualcode.files)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from qualcode.files import write_atomically, write_text

__all__ = ["write_atomically", "write_text", "normalise_zip"]  # the writers live in qualcode.files

# The earliest time a zip entry can carry: no clock leaks into an archive.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FIXED_TIME = "2000-01-01T00:00:00Z"
# openpyxl stamps dcterms:modified with the clock at save time whatever the workbook says.
CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML archive with entries in name order and fixed timestamps, so equal content is equal bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    entries = [
        (name, CORE_TIMES.sub(rb"\g<1>" + FIXED_TIME.encode() + rb"\g<3>", data) if name == "docProps/core.xml" else data)
        for name, data in entries
    ]
    # [Content_Types].xml must stay first for some readers; the rest follow in name order.
    entries.sort(key=lambda item: (item[0] != "[Content_Types].xml", item[0]))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data)
