"""`write_png`: a file that any PNG reader (Qt's here, and a strict chunk-by-chunk parse) reads
back as exactly the image painted, with its size and resolution."""

from __future__ import annotations

import random
import struct
import zlib

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from cgeditor.editor.canvas import png_writer
from cgeditor.editor.canvas.png_writer import write_png


def painted(width: int, height: int, dots_per_metre: int = 3780) -> QImage:
    """An RGB32 image as the renderer paints one: white, with antialiased curves, text and
    colours that differ in every channel."""
    image = QImage(width, height, QImage.Format_RGB32)
    image.fill(QColor("#ffffff"))
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    painter.setPen(QPen(QColor(200, 30, 90), 2.5))
    painter.setBrush(QColor(20, 140, 230))
    painter.drawEllipse(QRectF(0.3, 0.7, width * 0.6, height * 0.7))
    painter.drawLine(QPointF(0, height), QPointF(width, 0))
    painter.setFont(QFont("Sans", 11))
    painter.drawText(QRectF(0, 0, width, height), Qt.AlignCenter, "x·y ∂ 64")
    painter.end()
    return image


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, each CRC checked; fails on anything but a whole PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, at = [], 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        body, (crc,) = data[at + 8:at + 8 + length], struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        out.append((kind, body))
        at += 12 + length
    assert at == len(data) and out[-1] == (b"IEND", b"")
    return out


@pytest.mark.parametrize("width, height", [(1, 1), (3, 2), (7, 5), (641, 97), (641, 600), (5000, 1), (1, 3000)],
                         ids=["1x1", "3x2", "7x5", "641x97", "641x600", "wide", "tall"])
def test_the_png_reads_back_as_the_very_pixels_painted(qapp, tmp_path, width, height):
    """Widths whose rows of 3-byte pixels are padded to 4 bytes in memory (3, 7, 641, 5000)
    must lose the padding, not shift the next row; heights past a strip of rows (600, 3000)
    must join their strips seamlessly."""
    image, path = painted(width, height), tmp_path / "out.png"
    write_png(image, str(path))
    back = QImage(str(path))
    assert (back.width(), back.height()) == (width, height)
    assert back.convertToFormat(QImage.Format_RGB32) == image


def test_the_file_is_8_bit_rgb_unfiltered_with_the_images_resolution(qapp, tmp_path):
    image, path = painted(33, 9, dots_per_metre=7559), tmp_path / "out.png"  # 192 dpi
    write_png(image, str(path))
    parts = chunks(path.read_bytes())
    assert [kind for kind, _ in parts] == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", parts[0][1]) == (33, 9, 8, 2, 0, 0, 0)
    assert struct.unpack(">IIB", parts[1][1]) == (7559, 7559, 1)
    rows = zlib.decompress(parts[2][1])
    assert len(rows) == 9 * (1 + 3 * 33) and rows[::1 + 3 * 33] == bytes(9)  # filter 0 on every row
    back = QImage(str(path))
    assert (back.dotsPerMeterX(), back.dotsPerMeterY()) == (7559, 7559)


def test_a_picture_compressed_into_several_idat_chunks_reads_back_whole(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(png_writer, "FLUSH_AT", 4096)
    noise = random.Random(7).randbytes(4 * 301 * 200)  # incompressible: zlib hands out output all along
    image, path = QImage(noise, 301, 200, 4 * 301, QImage.Format_RGB32).copy(), tmp_path / "out.png"
    write_png(image, str(path))
    assert sum(kind == b"IDAT" for kind, _ in chunks(path.read_bytes())) > 3
    assert QImage(str(path)).convertToFormat(QImage.Format_RGB32) == image


def test_a_file_that_cannot_be_written_raises_oserror(qapp, tmp_path):
    with pytest.raises(OSError):
        write_png(painted(4, 4), str(tmp_path / "no" / "such" / "folder.png"))
