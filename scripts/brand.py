#!/usr/bin/env python3
"""Draw the integration's brand images (custom_components/raadhus_alarm/brand/).

Since Home Assistant 2026.3 a custom integration ships its icon and logo in
its own `brand/` folder (served by the `brands` integration, before the
brands CDN). This script draws them from one geometry, so they can be
redrawn rather than edited by hand:

    python scripts/brand.py [OUTPUT_DIR]

The mark is a shield with an exclamation mark cut out of it, in one accent
colour (red: an alarm). Icons are square (256 px, 512 px for @2x) and fill
the square's height; logos are the mark beside the name, trimmed to their
content, 256 px high (512 px for @2x). The dark variants use a lighter red
and a light name, for Home Assistant's dark theme.

The output is checked by `scripts/validate.py` (sizes, format, transparency,
trimming); the test suite renders into a temporary folder and checks it too.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
import sys
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
BRAND = ROOT / "custom_components" / "raadhus_alarm" / "brand"
NAME = "Rådhus Alarm"
# Drawn this many times too large, then scaled down: smooth edges without
# relying on Pillow's (absent) anti-aliased polygons.
SUPERSAMPLE = 4
# The shield's height is 1.2 of its width.
ASPECT = 1.2
TRANSPARENT = (0, 0, 0, 0)
# Home Assistant's own typeface, from the pinned home-assistant-frontend
# package (the test requirements): the drawing does not depend on the fonts
# of the machine it runs on, and Pillow's built-in font has no "å".
FONT = files("hass_frontend") / "static" / "fonts" / "roboto" / "Roboto-Medium.woff2"


class Theme(NamedTuple):
    """Colours of one variant (light themes, or dark themes)."""

    prefix: str
    accent: tuple[int, int, int, int]
    text: tuple[int, int, int, int]


LIGHT = Theme("", (198, 40, 40, 255), (38, 50, 56, 255))
DARK = Theme("dark_", (239, 83, 80, 255), (236, 239, 241, 255))


def _bezier(
    start: tuple[float, float],
    control: tuple[float, float],
    end: tuple[float, float],
    steps: int = 48,
) -> list[tuple[float, float]]:
    """Points along a quadratic Bézier curve (start excluded)."""
    points = []
    for i in range(1, steps + 1):
        t = i / steps
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t**2
        points.append(
            (
                a * start[0] + b * control[0] + c * end[0],
                a * start[1] + b * control[1] + c * end[1],
            )
        )
    return points


def _shield_outline() -> list[tuple[float, float]]:
    """The shield in unit coordinates: 1 wide, ASPECT high, top-left at 0,0."""
    r = 0.12  # rounded top corners
    outline: list[tuple[float, float]] = [(0.0, r)]
    outline += _bezier((0.0, r), (0.0, 0.0), (r, 0.0), 12)
    outline.append((1 - r, 0.0))
    outline += _bezier((1 - r, 0.0), (1.0, 0.0), (1.0, r), 12)
    outline.append((1.0, 0.55))
    outline += _bezier((1.0, 0.55), (1.0, 0.98), (0.5, ASPECT))
    outline += _bezier((0.5, ASPECT), (0.0, 0.98), (0.0, 0.55))
    return outline


def _draw_mark(
    draw: ImageDraw.ImageDraw, left: float, top: float, height: float, theme: Theme
) -> None:
    """The shield, its exclamation mark cut out (transparent, not white)."""
    width = height / ASPECT

    def at(x: float, y: float) -> tuple[float, float]:
        return (left + x * width, top + y * width)

    draw.polygon([at(x, y) for x, y in _shield_outline()], fill=theme.accent)
    # ImageDraw writes the fill as is (no blending): the cut-out is see-through.
    bar_left, bar_right = at(0.42, 0.22), at(0.58, 0.70)
    draw.rounded_rectangle((bar_left, bar_right), radius=0.08 * width, fill=TRANSPARENT)
    dot = at(0.5, 0.88)
    radius = 0.09 * width
    draw.ellipse(
        (dot[0] - radius, dot[1] - radius, dot[0] + radius, dot[1] + radius),
        fill=TRANSPARENT,
    )


def _trimmed(image: Image.Image) -> Image.Image:
    """The image cut to its visible pixels (brand images must be trimmed)."""
    box = image.getchannel("A").getbbox()
    assert box is not None, "nothing was drawn"
    return image.crop(box)


def _scaled(image: Image.Image, height: int) -> Image.Image:
    width = round(image.width * height / image.height)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def icon(size: int, theme: Theme) -> Image.Image:
    """A square icon: the mark as high as the square, centred."""
    big = size * SUPERSAMPLE
    canvas = Image.new("RGBA", (big, big), TRANSPARENT)
    _draw_mark(ImageDraw.Draw(canvas), 0, 0, big, theme)
    mark = _scaled(_trimmed(canvas), size)
    out = Image.new("RGBA", (size, size), TRANSPARENT)
    out.paste(mark, ((size - mark.width) // 2, 0))
    return out


def logo(height: int, theme: Theme) -> Image.Image:
    """The mark beside the name, trimmed, `height` pixels high."""
    big = height * SUPERSAMPLE
    font = ImageFont.truetype(str(FONT), round(big * 0.46))
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), NAME, font=font)
    mark_width = big / ASPECT
    gap = big * 0.14
    canvas = Image.new(
        "RGBA", (round(mark_width + gap + right - left) + 2, big), TRANSPARENT
    )
    draw = ImageDraw.Draw(canvas)
    _draw_mark(draw, 0, 0, big, theme)
    # The name sits on the shield's optical middle (above its tip).
    middle = big * 0.46
    draw.text(
        (mark_width + gap - left, middle - (top + bottom) / 2),
        NAME,
        font=font,
        fill=theme.text,
    )
    return _scaled(_trimmed(canvas), height)


def images() -> dict[str, Image.Image]:
    """Every brand image Home Assistant serves, by file name."""
    out: dict[str, Image.Image] = {}
    for theme in (LIGHT, DARK):
        out[f"{theme.prefix}icon.png"] = icon(256, theme)
        out[f"{theme.prefix}icon@2x.png"] = icon(512, theme)
        out[f"{theme.prefix}logo.png"] = logo(256, theme)
        out[f"{theme.prefix}logo@2x.png"] = logo(512, theme)
    return out


def render(target: Path) -> list[Path]:
    """Write every brand image into `target`; the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, image in images().items():
        path = target / name
        image.save(path, format="PNG", optimize=True)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else BRAND
    for path in render(target):
        print(f"brand: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
