"""What a frame is: its size and pixel format, from a numpy array or from explicit arguments.

The first frame fixes the layout of a video; every later frame is checked against it, so a
mistake shows up as an error that names both layouts rather than as a garbled video.
"""

# Bytes per pixel of the pixel formats the framepipe program reads (docs/cli.md).
BYTES_PER_PIXEL = {
    "rgba": 4, "argb": 4, "bgra": 4, "abgr": 4, "rgb0": 4, "bgr0": 4, "0rgb": 4,
    "rgb24": 3, "bgr24": 3, "gray": 1, "gray16le": 2, "grayf32le": 4,
    "rgb48le": 6, "rgba64le": 8,
}

# The pixel format a numpy array stands for: (dtype kind and size, channels) -> pix_fmt.
_ARRAY_FORMATS = {
    ("u1", 1): "gray", ("u1", 3): "rgb24", ("u1", 4): "rgba",
    ("u2", 1): "gray16le", ("u2", 3): "rgb48le", ("u2", 4): "rgba64le",
    ("f4", 1): "grayf32le",
}

_SUPPORTED = ("uint8 HxW (gray), HxWx3 (rgb24), HxWx4 (rgba); uint16 HxW (gray16le), HxWx3 (rgb48le), "
              "HxWx4 (rgba64le); float32 HxW (grayf32le)")


class Layout:
    """Width, height and pixel format of the frames of one video, and what produced them."""

    def __init__(self, width, height, pix_fmt, description, shape=None, dtype=None):
        self.width, self.height, self.pix_fmt = width, height, pix_fmt
        self.description = description  # how the first frame looked, for error messages
        self.frame_bytes = width * height * BYTES_PER_PIXEL[pix_fmt]
        # Set when the first frame was an array: later arrays must have the same shape and dtype.
        self.shape, self.dtype = shape, dtype

    @property
    def size(self):
        return f"{self.width}x{self.height}"


def parse_size(size):
    """(width, height) from "WxH" or a (width, height) pair."""
    if isinstance(size, str):
        w, sep, h = size.lower().partition("x")
        if not sep or not w.isdigit() or not h.isdigit():
            raise ValueError(f"size {size!r} is not WIDTHxHEIGHT: write it as e.g. '1280x720' or (1280, 720)")
        return int(w), int(h)
    width, height = size
    return int(width), int(height)


def check_pix_fmt(pix_fmt):
    if pix_fmt not in BYTES_PER_PIXEL:
        raise ValueError(f"unknown pix_fmt {pix_fmt!r}: framepipe reads {', '.join(BYTES_PER_PIXEL)}")
    return pix_fmt


def describe_array(array):
    return f"{array.dtype.name} array of shape {tuple(array.shape)}"


def _channels(array):
    if array.ndim == 2:
        return 1
    if array.ndim == 3:
        return array.shape[2]
    return None


def array_pix_fmt(array, pix_fmt=None):
    """The pixel format of an HxW or HxWxC array: the one given, checked against the array's
    bytes per pixel, or the one its dtype and channels stand for."""
    channels = _channels(array)
    if channels is None:
        raise ValueError(f"a frame must be HxW or HxWxC, got a {describe_array(array)}; framepipe takes {_SUPPORTED}")
    if pix_fmt is not None:
        if array.dtype.itemsize * channels != BYTES_PER_PIXEL[check_pix_fmt(pix_fmt)]:
            raise ValueError(f"pix_fmt {pix_fmt!r} has {BYTES_PER_PIXEL[pix_fmt]} bytes a pixel, but a "
                             f"{describe_array(array)} has {array.dtype.itemsize * channels}")
        return pix_fmt
    key = (f"{array.dtype.kind}{array.dtype.itemsize}", channels)
    if key not in _ARRAY_FORMATS:
        raise ValueError(f"framepipe cannot take a {describe_array(array)}: it takes {_SUPPORTED} "
                         "(convert with e.g. array.astype(numpy.float32))")
    return _ARRAY_FORMATS[key]


def _dtype_key(array):
    return array.dtype.kind, array.dtype.itemsize


def layout_of_array(array, pix_fmt=None):
    pix_fmt = array_pix_fmt(array, pix_fmt)  # first: it refuses arrays that are not frames
    return Layout(array.shape[1], array.shape[0], pix_fmt, describe_array(array),
                  tuple(array.shape), _dtype_key(array))


def layout_of_bytes(size, pix_fmt):
    if size is None or pix_fmt is None:
        raise ValueError("a frame given as bytes needs size= and pix_fmt= (e.g. Writer(path, size=(640, 360), "
                         "pix_fmt='rgba')): bytes do not say how wide a row is")
    width, height = parse_size(size)
    pix_fmt = check_pix_fmt(pix_fmt)
    return Layout(width, height, pix_fmt, f"{width}x{height} {pix_fmt} frames of "
                                          f"{width * height * BYTES_PER_PIXEL[pix_fmt]} bytes")


def array_bytes(array, layout):
    """The bytes of an array frame as a memoryview, without a copy when the array is C-contiguous
    and little-endian already; raises ValueError when it does not match `layout`."""
    import numpy as np

    if layout.shape is not None:
        matches = tuple(array.shape) == layout.shape and _dtype_key(array) == layout.dtype
    else:
        matches = array.ndim in (2, 3) and (array.shape[1], array.shape[0]) == (layout.width, layout.height) \
            and array.dtype.itemsize * _channels(array) == BYTES_PER_PIXEL[layout.pix_fmt]
    if not matches:
        raise ValueError(f"frame is a {describe_array(array)}, but the first frame was a {layout.description}: "
                         "every frame of a video must have the first one's shape and dtype")
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    return memoryview(np.ascontiguousarray(array)).cast("B")


def raw_bytes(data, layout):
    """An object supporting the buffer protocol, as a flat memoryview of bytes; raises ValueError
    when its length is not one frame of `layout`."""
    view = memoryview(data)
    if view.ndim != 1 or view.format != "B":
        if not view.c_contiguous:
            raise ValueError("a frame given as a buffer must be C-contiguous: copy it with bytes(frame) first")
        view = view.cast("B")
    if view.nbytes != layout.frame_bytes:
        raise ValueError(f"frame has {view.nbytes} bytes, but {layout.description} were announced")
    return view
