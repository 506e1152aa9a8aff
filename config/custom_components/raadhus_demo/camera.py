"""Room cameras that serve a generated still image (room name and time)."""

from __future__ import annotations

from datetime import datetime
import functools
import io
import zlib

from homeassistant.components.camera import Camera
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util
from PIL import Image, ImageDraw, ImageFont

from .const import DOMAIN
from .data import DemoCamera, DemoData

WIDTH, HEIGHT = 640, 360


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one camera per room."""
    data: DemoData = hass.data[DOMAIN]
    async_add_entities(DemoRoomCamera(camera) for camera in data.cameras)


class DemoRoomCamera(Camera):
    """A still image drawn on request: the room, a table and the current time."""

    _attr_has_entity_name = True
    _attr_name = None
    _attr_brand = "Demo"
    _attr_model = "Simuleret kamera"

    def __init__(self, camera: DemoCamera) -> None:
        super().__init__()
        self._camera = camera
        self._attr_unique_id = camera.identifier
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, camera.identifier)})
        # camera.kontaktrum_1 rather than camera.kamera_kontaktrum_1.
        self.entity_id = camera.entity_id

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """Return a freshly drawn JPEG."""
        now = dt_util.now()
        return await self.hass.async_add_executor_job(
            render_room_image, self._camera.room, now, width, height
        )


# Fonts with Danish letters, tried in order (Pillow searches the system font
# folders); Pillow's built-in font has no æ/ø/å, so without these the text is
# transliterated.
_FONTS = (
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "NotoSans-Regular.ttf",
    "Arial.ttf",
)
_ASCII = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"}
)


@functools.cache
def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """Return a font and whether it has the Danish letters."""
    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    return ImageFont.load_default(size=size), False


def _text(
    draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, fill: tuple
) -> None:
    """Draw text at xy; a negative x is measured from the right edge."""
    font, danish = _font(size)
    if not danish:
        text = text.translate(_ASCII)
    x, y = xy
    if x < 0:
        x = int(WIDTH + x - draw.textlength(text, font=font))
    draw.text((x, y), text, font=font, fill=fill)


def render_room_image(
    room: str, now: datetime, width: int | None = None, height: int | None = None
) -> bytes:
    """Draw a simple CCTV-style still of a room (JPEG)."""
    seed = zlib.crc32(room.encode())
    hue = 40 + seed % 60
    img = Image.new("RGB", (WIDTH, HEIGHT), (hue // 2, hue // 2 + 10, hue // 2 + 20))
    draw = ImageDraw.Draw(img)
    # Floor in perspective, a back wall and a door.
    draw.polygon(
        [(0, HEIGHT), (WIDTH, HEIGHT), (WIDTH - 120, 150), (120, 150)],
        fill=(70 + hue // 3, 70 + hue // 3, 75 + hue // 3),
    )
    draw.rectangle((120, 40, WIDTH - 120, 150), fill=(95, 100, 110))
    door_x = 150 + seed % (WIDTH - 360)
    draw.rectangle((door_x, 60, door_x + 50, 150), fill=(60, 45, 35))
    draw.ellipse((door_x + 38, 100, door_x + 44, 106), fill=(200, 190, 120))
    if "vente" in room.casefold():
        # Rows of chairs in the waiting area.
        for row in range(2):
            for i in range(6):
                x = 170 + i * 52 - row * 20
                y = 200 + row * 70
                draw.rectangle((x, y, x + 34, y + 26), fill=(40, 80, 130))
    else:
        # A table with a chair on either side.
        draw.polygon(
            [(220, 210), (420, 210), (460, 280), (180, 280)], fill=(150, 110, 70)
        )
        draw.rectangle((150, 230, 190, 290), fill=(40, 40, 45))
        draw.rectangle((450, 230, 490, 290), fill=(40, 40, 45))
    # Scan lines for a CCTV feel.
    for y in range(0, HEIGHT, 4):
        draw.line((0, y, WIDTH, y), fill=(0, 0, 0), width=1)
    # Overlay: room name, time, REC.
    draw.rectangle((0, 0, WIDTH, 34), fill=(0, 0, 0))
    _text(draw, (10, 6), room, 22, (255, 255, 255))
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    _text(draw, (-10, 8), stamp, 18, (255, 255, 255))
    if now.second % 2 == 0:
        draw.ellipse((WIDTH - 26, 304, WIDTH - 12, 318), fill=(220, 30, 30))
    _text(draw, (10, HEIGHT - 28), "DEMO · simuleret kamera", 16, (230, 230, 0))
    if width or height:
        target = (
            width or int(WIDTH * height / HEIGHT),
            height or int(HEIGHT * width / WIDTH),
        )
        img = img.resize(target)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return out.getvalue()
