"""Instructor downloads: the gradebook and analytics as CSV and Excel bytes."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

__all__ = ["to_csv_bytes", "to_excel_bytes", "flat_columns"]


def flat_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose (problem, part) column pairs read ``problem/part``, for flat files."""
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.copy()
        frame.columns = ["/".join(str(level) for level in column) for column in frame.columns]
    return frame


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with the index as the first column."""
    return flat_columns(frame).to_csv().encode("utf-8")


def to_excel_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per frame (sheet names cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            flat_columns(frame).to_excel(writer, sheet_name=name[:31] or "Sheet")
    return buffer.getvalue()
