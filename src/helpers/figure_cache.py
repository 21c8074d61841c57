"""Draw a figure as PNG and SVG once per content, and reuse the drawing: the build's figure cache.

Drawing the area profiles' figures, as PNG (for the page and its PDF) and as SVG (to download),
was most of a report build's time, and a forced rebuild drew every figure again though nothing
in it had changed. In a report build a figure is drawn once per *content key* and its files are
reused, in the same build and the next, from ``build/cache/figures``
(:func:`helpers.paths.cache_dir`; ``make clean`` removes it with the rest of ``build/``).

The key is what the figure draws, not where it came from. The figure is laid out once, as
``savefig(bbox_inches="tight")`` lays it out before it draws, but through a renderer that hashes
every drawing call it receives (paths, text and its font file, images, colours, line styles,
hatches, clipping) and then the tight bounding box; the versions of matplotlib and Pillow,
every rcParam and this module's source are hashed with them. Any change to the data, or to the
code anywhere, that changes a figure changes its key, so it is drawn afresh; a change that
leaves a figure as it was (to another chart, another module, a report's words) reuses it. A
call with an argument the hash cannot read makes the figure uncached: drawn as if there were
no cache. On a miss the layout pass is not wasted: the PNG and the SVG are each
drawn once in it (savefig draws each twice: a layout pass, then the drawing). The PNG comes
out byte for byte as :func:`figure_png` draws it; the SVG shows the figure in the PNG's
layout and box (see :func:`laid_out_files`).

Entries are safe to share and to damage: each is written whole (:mod:`helpers.atomic`) under
its key, with that key and a checksum of its contents inside; one that is unreadable, truncated,
fails its checksum or holds another key (an entry copied or moved over another's) is drawn
again and replaced, never used. Only the report build uses the cache: it sets
:data:`CACHE_ENV` for its kernels. JupyterLab, nbval and ``--execute-in-place`` draw as before.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import time
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import BboxBase, Transform, TransformedPath

from helpers.atomic import atomic_write_bytes

#: Set by the report build for its kernels: the folder of cached drawings.
CACHE_ENV = "HELPERS_FIGURE_CACHE"
#: The resolution of every figure's PNG (the page, its PDF and the PNG to download).
DPI = 110
#: The first line of an entry: a file of another format (or none) is never read as one.
#: (Format 2 holds its key: entries of format 1, which did not, are drawn again.)
MAGIC = b"helpers-figure 2\n"


def figure_png(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes, without matplotlib's timestamped metadata."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


#: The SVG's settings: the same element ids at every build, text drawn as paths (the same
#: letters in every viewer, whatever its fonts).
SVG_RC = {"svg.hashsalt": "helpers", "svg.fonttype": "path"}


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text, without a date and with the same element ids at every build."""
    buffer = io.StringIO()
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


# --- the key ---------------------------------------------------------------------------------


class FigureKeyError(TypeError):
    """A drawing call with an argument the key cannot be made from: draw without the cache."""


#: The font file of each set of font properties (under the rcParams that resolve them), with
#: its size and modification time: a font replaced on the system changes the key. Read once a
#: process, as matplotlib loads a font file once a process (``get_font`` is cached): a process
#: keys its figures on the font it draws with, and the next one on the font now on disk.
_FONTS: dict[tuple, tuple] = {}


def _font(prop: FontProperties, rc: str) -> tuple:
    key = (
        tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
        prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
        prop.get_math_fontfamily(),
    )  # fmt: skip
    found = _FONTS.get((key, rc))
    if found is None:
        path = findfont(prop)
        stat = os.stat(path)
        found = _FONTS[(key, rc)] = (*key, path, stat.st_size, stat.st_mtime_ns)
    return found


def _graphics_context(gc: GraphicsContextBase) -> tuple:
    hatch_width = getattr(gc, "get_hatch_linewidth", lambda: None)()
    return (
        gc.get_rgb(), gc.get_alpha(), gc.get_forced_alpha(), gc.get_antialiased(),
        gc.get_capstyle(), gc.get_joinstyle(), gc.get_dashes(), gc.get_linewidth(),
        gc.get_hatch(), gc.get_hatch_color(), hatch_width, gc.get_clip_rectangle(),
        gc.get_clip_path(), gc.get_snap(), gc.get_sketch_params(), gc.get_url(), gc.get_gid(),
    )  # fmt: skip


#: What the backends read of the text artist a string came from, in the matplotlib versions
#: that have it (3.11: OpenType features and the language, which shape the glyphs).
_TEXT_OPTIONAL = ("fontfeatures", "language")
#: What a renderer is asked to do: every call a dry run of matplotlib turns off, hashed instead.
_CALLS = tuple(
    name
    for name in dir(RendererBase)
    if name.startswith("draw_") or name in ("open_group", "close_group")
)


class _Fingerprint(RendererAgg):
    """An Agg renderer (its text metrics lay the figure out as the PNG's) that draws nothing
    and hashes every drawing call instead, by what it would draw.

    ``rc`` is the rcParams the figure is drawn under (they resolve font names to files).
    """

    def __init__(self, width: float, height: float, dpi: float, rc: str):
        super().__init__(width, height, dpi)
        self.rc = rc
        self.digest = hashlib.sha256(rc.encode())
        for name in _CALLS:
            setattr(self, name, functools.partial(self._record, name))

    def _record(self, name: str, *args, **kwargs) -> None:
        self.feed((name, args, sorted(kwargs.items())))

    def feed(self, value) -> None:
        """Hash ``value``.

        Raises
        ------
        FigureKeyError
            For a value of a kind not listed here (the figure is then drawn uncached).
        """
        digest = self.digest
        if value is None or isinstance(value, bool | int | float | str | np.generic):
            digest.update(f"{type(value).__name__}:{value!r}|".encode())
        elif isinstance(value, bytes):
            digest.update(b"b%d:" % len(value) + value)
        elif isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            digest.update(f"a{array.dtype}{array.shape}:".encode())
            if array.dtype == object:
                for item in array.flat:
                    self.feed(item)
            else:
                digest.update(array.tobytes())
        elif isinstance(value, list | tuple):
            digest.update(b"(%d:" % len(value))
            for item in value:
                self.feed(item)
            digest.update(b")")
        else:
            self.feed(self._drawn(value))

    def _drawn(self, value) -> tuple:
        """A matplotlib object a renderer is handed, as a tuple of what it draws."""
        if isinstance(value, MplPath):
            return ("path", value.vertices, value.codes)
        if isinstance(value, TransformedPath):
            return ("transformed path", *value.get_transformed_path_and_affine())
        if isinstance(value, Transform):
            if not value.is_affine:
                raise FigureKeyError(f"a {type(value).__name__} is not affine")
            return ("affine", value.get_matrix())
        if isinstance(value, BboxBase):
            return ("bbox", value.get_points())
        if isinstance(value, GraphicsContextBase):
            return ("gc", *_graphics_context(value))
        if isinstance(value, FontProperties):
            return ("font", *_font(value, self.rc))
        if isinstance(value, Text):  # the artist itself: what a backend may read of it
            optional = [getattr(value, f"get_{name}", lambda: None)() for name in _TEXT_OPTIONAL]
            return (
                "text", value.get_rotation_mode(), value.get_horizontalalignment(),
                value.get_verticalalignment(), value.get_url(), value.get_gid(),
                value.get_antialiased(), *optional,
            )  # fmt: skip
        raise FigureKeyError(f"cannot key a figure on a {type(value).__name__}")


@functools.lru_cache(maxsize=1)
def _versions() -> bytes:
    """What draws the files besides the figure: the libraries' versions and this module."""
    import PIL

    source = Path(__file__).read_bytes()
    return f"{matplotlib.__version__}|{PIL.__version__}|".encode() + hashlib.sha256(source).digest()


def fingerprint(fig: Figure, dpi: int = DPI) -> tuple[str, BboxBase]:
    """The content key of ``fig`` and its tight bounding box (inches, padded) at ``dpi``.

    The figure is laid out (its layout engine run) as ``savefig`` lays it out before drawing a
    PNG at ``dpi``; nothing is drawn.

    Raises
    ------
    FigureKeyError
        If a drawing call cannot be hashed.
    """
    # Every rcParam but the backend's (not drawn, and a sentinel object until resolved).
    rc = repr(sorted((k, v) for k, v in dict.items(matplotlib.rcParams) if "backend" not in k))
    restore = fig.dpi
    fig.set_dpi(dpi)
    try:
        width, height = fig.bbox.size
        renderer = _Fingerprint(width, height, dpi, _versions().hex() + rc)
        fig.draw(renderer)
        bbox = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    finally:
        fig.set_dpi(restore)
    renderer.feed(("figure", tuple(fig.get_size_inches()), dpi, bbox))
    return renderer.digest.hexdigest(), bbox


#: rcParams under which ``set_layout_engine(None)`` leaves a figure with no engine.
_NO_AUTO_LAYOUT = {"figure.autolayout": False, "figure.constrained_layout.use": False}


@contextlib.contextmanager
def _laid_out(fig: Figure):
    """While the figure keeps the layout :func:`fingerprint` gave it: its layout engine off.

    With no engine at all (not even the placeholder ``"none"`` sets), ``savefig`` given a box
    makes no layout pass of its own: the figure is drawn once, as laid out.
    """
    engine = fig.get_layout_engine()
    with matplotlib.rc_context(_NO_AUTO_LAYOUT):
        fig.set_layout_engine(None)  # under these rcParams: no engine
    try:
        yield
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)


def laid_out_files(fig: Figure, bbox: BboxBase, svg: bool = True) -> tuple[bytes, str | None]:
    """The PNG (and SVG) of a figure :func:`fingerprint` has laid out, each drawn once.

    The PNG is byte for byte what :func:`figure_png` draws (its own layout pass is the one the
    fingerprint made). The SVG is drawn in the same layout and box as the PNG, instead of a
    layout pass of its own with the SVG backend's text metrics, which placed things up to a
    few hundredths of an inch differently: its drawing costs 40% less, and the file shows
    the figure exactly as the page does. (The SVG's own text never reaches the box's edge:
    0.036 inch from it at the closest, in the 160 figures of the area profiles.)
    """
    png, text = io.BytesIO(), io.StringIO()
    with _laid_out(fig):
        fig.savefig(png, format="png", dpi=DPI, bbox_inches=bbox, metadata={"Software": None})
        if svg:
            with matplotlib.rc_context(SVG_RC):
                fig.savefig(text, format="svg", bbox_inches=bbox, metadata={"Date": None})
    return png.getvalue(), text.getvalue() if svg else None


# --- the entries -----------------------------------------------------------------------------


def _checksum(png: bytes, svg: bytes) -> str:
    """Of both files and where one ends: a header that lies about it fails too."""
    return hashlib.sha256(b"%d:" % len(png) + png + svg).hexdigest()


def _encode(key: str, png: bytes, svg: str) -> bytes:
    text = svg.encode("utf-8")
    header = {"key": key, "png": len(png), "svg": len(text), "sha256": _checksum(png, text)}
    return MAGIC + json.dumps(header).encode("ascii") + b"\n" + png + text


def read_entry(path: Path) -> tuple[bytes, str] | None:
    """The PNG and SVG of a cache entry; ``None`` if it is missing or damaged in any way, or
    holds the drawing of another key than its name's (``<key>.fig``)."""
    try:
        data = path.read_bytes()
        if not data.startswith(MAGIC):
            return None
        line, _, body = data[len(MAGIC) :].partition(b"\n")
        header = json.loads(line)
        if header["key"] != path.name.removesuffix(".fig"):
            return None
        png, svg = body[: header["png"]], body[header["png"] :]
        if len(svg) != header["svg"] or _checksum(png, svg) != header["sha256"]:
            return None
        return png, svg.decode("utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return None


def cache_folder() -> Path | None:
    """The folder of cached drawings if this process is to use one (:data:`CACHE_ENV`)."""
    folder = os.environ.get(CACHE_ENV)
    return Path(folder) if folder else None


def drawn(fig: Figure, svg: bool) -> tuple[bytes, str | None]:
    """``fig`` as PNG bytes and, if ``svg``, SVG text: from the cache when this process has one
    (:data:`CACHE_ENV`) and the figure is in it, else drawn (and then kept there).

    A PNG alone (a notebook in JupyterLab, nbval) is drawn as :func:`figure_png` draws it.
    """
    folder = cache_folder()
    if folder is None and not svg:
        return figure_png(fig), None
    try:
        key, bbox = fingerprint(fig)
    except FigureKeyError:
        return figure_png(fig), figure_svg(fig) if svg else None
    if folder is None:
        return laid_out_files(fig, bbox)
    entry = folder / f"{key}.fig"
    kept = read_entry(entry)
    if kept is not None:
        try:
            os.utime(entry)  # used by this build: see prune
        except OSError:
            pass
        return kept[0], kept[1] if svg else None
    png, text = laid_out_files(fig, bbox)
    try:
        atomic_write_bytes(entry, _encode(key, png, text))
    except OSError:  # a cache that cannot be written (a full disk) only costs a redraw
        pass
    return png, text if svg else None


def prune(folder: Path, used_since: float) -> int:
    """Remove the entries in ``folder`` last used before ``used_since`` (a time.time()): what a
    build that drew every report did not use. Returns how many were removed."""
    removed = 0
    if not folder.is_dir():
        return 0
    for entry in folder.glob("*.fig"):
        try:
            if entry.stat().st_mtime < used_since:
                entry.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def now() -> float:
    """The clock :func:`prune` compares with (the entries' modification times)."""
    return time.time()
