"""The one way an admin page hands the user an .xlsx file: exports, templates, bad rows, ledgers."""

from __future__ import annotations

import io

from flask import Response, send_file

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(content: bytes, filename: str) -> Response:
    return send_file(io.BytesIO(content), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=filename)
