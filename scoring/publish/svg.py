"""What vl-convert makes of each chart, and the chart JavaScript runtime, cached on disk.

Per chart: the static SVG fallback and the spec compiled from Vega-Lite to Vega (what the browser draws:
it then needs only the Vega runtime, not the Vega-Lite compiler); and for a page's main chart, a PNG made
from that SVG, the page's Open Graph image (the chart menu's PNG is drawn from the SVG by the reader's
browser, charts.js: so 76 of the shipped site's 215 charts have a PNG file, not all). All are pure
functions of the spec and of the vl-convert version, so they are cached by a hash of exactly that: a
rebuild renders only the charts whose spec changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection
from html import escape
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar, cast
from xml.etree import ElementTree

import vl_convert

from scoring.pages.images import FALLBACK_WIDTH, PNG_SCALE, geographic
from scoring.publish.memo import write_atomically

VL_CONVERT = version("vl-convert-python")
SVG_FORMAT = 7  # raise when what is made of vl-convert's SVG changes, so that cached images are redone


def _cached(cache: Path | None, name: str, make: Callable[[], bytes]) -> bytes:
    path = cache / name if cache else None
    if path and path.exists():
        return path.read_bytes()
    content = make()
    if path:
        write_atomically(path, content)
    return content


def _in_cache(cache: Path, name: str, make: Callable[[], bytes]) -> Path:
    """The cache's file `name`, made first if the cache lacks it."""
    path = cache / name
    if not path.exists():
        write_atomically(path, make())
    return path


def _fixed(spec: dict[str, Any], kind: str = "svg") -> tuple[str, dict[str, Any]]:
    """The cache key and the spec that a chart's file of `kind` is made from."""
    return _key(_canonical(spec), kind), _fixed_spec(spec, kind)


def _fixed_spec(spec: dict[str, Any], kind: str) -> dict[str, Any]:
    """What a chart's file of `kind` is made from: for the images, the spec at a fixed width, without
    the marks' links (`_unlinked`), its text in `STATIC_FONT`, and on white for the PNG, which has no
    page behind it; the spec as it is for the Vega one, which the browser draws."""
    if kind in ("svg", "png"):
        config = {**spec.get("config", {}), "font": STATIC_FONT}
        if kind == "png":
            config["background"] = "white"
        return {**_unlinked(spec), "width": FALLBACK_WIDTH, "autosize": {"type": "pad"}, "config": config}
    return spec


# The static images' text: vl-convert lays it out with Liberation Sans (what it takes "sans-serif" to
# be), so they name it and the fonts of the same widths (Arimo, Arial; Helvetica nearly), which a reader's
# browser then shows them in (the <img> without JavaScript, the SVG download, the PNG charts.js draws):
# under plain "sans-serif", a Linux browser took DejaVu Sans, which is wider, and cut the longest labels.
# The same layout and the same PNG as "sans-serif" (tests/test_svg.py).
STATIC_FONT = "Liberation Sans, Arimo, Arial, Helvetica, sans-serif"


def _unlinked(spec: dict[str, Any]) -> dict[str, Any]:
    """`spec` without the `href` channel, in its layers and concatenated views too. A static image has
    no use for the links: the page shows it as an <img>, where links do nothing, and a downloaded file
    cannot follow a link relative to the site. And they cost: Vega's renderer waits for its loader to
    check each link, polling every 10 ms, so vl-convert took ~30 ms for a linked chart's SVG where it
    takes ~17 without (measured: the shipped site's 215 charts, 6.8 s → 4.1 s)."""
    unlinked = dict(spec)
    if isinstance(spec.get("encoding"), dict) and "href" in spec["encoding"]:
        unlinked["encoding"] = {k: v for k, v in spec["encoding"].items() if k != "href"}
    for views in ("layer", "concat", "hconcat", "vconcat"):
        if isinstance(spec.get(views), list):
            unlinked[views] = [_unlinked(view) for view in spec[views]]
    if isinstance(spec.get("spec"), dict):
        unlinked["spec"] = _unlinked(spec["spec"])
    return unlinked


def _canonical(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"))


def _key(canonical: str, kind: str) -> str:
    """The cache key of a chart's file of `kind`: of its spec (`_canonical`), the kind and what makes the
    file of them (vl-convert's version, `SVG_FORMAT`); one serialisation of the spec for every kind."""
    return hashlib.sha256(f"{VL_CONVERT}\n{SVG_FORMAT}\n{kind}\n{canonical}".encode()).hexdigest()


def _astral_safe(convert: Callable[[dict[str, Any]], Any], spec: dict[str, Any]) -> Any:
    """`convert(spec)` with every character beyond U+FFFF shown as U+FFFD. vl-convert fails on such text
    where Vega cuts a long label inside one (a lone surrogate, then it cannot read its own text
    measure), and a failure can leave its process unable to draw the next chart, even without such
    text (a Hypothesis case did exactly that): so the text is changed before, not after, a failure.
    Only the static image changes: the live chart in the browser shows the text as it is."""
    text = json.dumps(spec, ensure_ascii=False)
    return convert(json.loads(_ASTRAL.sub("\ufffd", text)) if _ASTRAL.search(text) else spec)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _svg(spec: dict[str, Any], cache: Path | None = None) -> bytes:
    # vl-convert numbers gradients by a counter that lives as long as the process, so the same spec
    # would give another SVG after other charts: number them from 0 in each image instead
    text = _astral_safe(lambda safe: vl_convert.vega_to_svg(compiled(safe, cache)), spec)
    order: dict[str, int] = {}
    return _GRADIENT.sub(lambda m: f"gradient_{order.setdefault(m[1], len(order))}", text).encode()


_GRADIENT = re.compile(r"gradient_(\d+)")


def _png(svg: str, cache: Path | None = None) -> bytes:
    """The PNG of a chart from its SVG, on white: what `vegalite_to_png` makes of the spec on a white
    background (the same bytes; vl-convert rasterises its SVG), for a third of the time, since Vega
    does not lay the chart out again. (The SVG is all it needs: not the `cache` that the other kinds'
    makers take.)"""
    opening = _SVG_OPENING.search(svg)
    if opening is None:
        raise ValueError("not an SVG made by vl-convert: no <svg width=… height=…> at its start")
    on_white = f'{opening[0]}<rect width="{opening[1]}" height="{opening[2]}" fill="white"/>'
    return bytes(vl_convert.svg_to_png(on_white + svg[opening.end() :], scale=PNG_SCALE))


_SVG_OPENING = re.compile(r'\A<svg [^>]*?width="([0-9.]+)" height="([0-9.]+)"[^>]*>')


def _vega(spec: dict[str, Any], cache: Path | None = None) -> bytes:
    return json.dumps(
        compiled(spec, cache), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def compiled(spec: dict[str, Any], cache: Path | None = None) -> dict[str, Any]:
    """`vl_convert.vegalite_to_vega(spec)`, compiled once per structure. Charts of one kind differ in
    their rows (`datasets`, named by a hash of them), title and description, which the compiler copies
    into the Vega spec as they are: so the spec is compiled with a placeholder for each (and no rows),
    once for all the charts that share the rest, and each chart's own are put in its copy. The shipped
    site's 215 charts have 72 structures: compiling took 0.85 s, now 0.28 (and as much again for the
    static images, which vl-convert draws from the Vega spec). tests/test_svg.py checks that every
    shipped chart compiles to what vl-convert makes of it directly; anything the placeholders do not
    stand for in the result is compiled directly.

    With a `cache`, a structure is compiled once for every process that uses it (`_STRUCTURES`), not
    once in each: a build's helpers are new processes, in the preview too."""
    datasets = spec.get("datasets", {})
    names = sorted(datasets)
    title = spec.get("title")
    own = {
        "description": spec.get("description"),
        "title": title.get("text") if isinstance(title, dict) else None,
    }
    fits = isinstance(title, dict | None) and all(_PLAIN_NAME.fullmatch(n) for n in names)
    if not fits or "\\u0000" in json.dumps(own):
        return _direct(spec)
    rest = {k: v for k, v in spec.items() if k not in ("datasets", "description", "title")}
    text = json.dumps(rest, sort_keys=True)
    for i, name in enumerate(names):
        text = text.replace(json.dumps(name), json.dumps(_stand_in(f"data {i}")))
    structure = json.loads(text)
    structure["datasets"] = {_stand_in(f"data {i}"): [] for i in range(len(names))}
    if own["description"] is not None:
        structure["description"] = _stand_in("description")
    if title is not None:
        structure["title"] = title if own["title"] is None else {**title, "text": _stand_in("title")}
    key = json.dumps(structure, sort_keys=True)
    if key not in _structures:
        if len(_structures) >= 256:
            _structures.pop(next(iter(_structures)))
        digest = hashlib.sha256(f"{VL_CONVERT}\n{key}".encode()).hexdigest()
        _structures[key] = _cached(
            cache, f"{_STRUCTURES}/{digest}.json", functools.partial(_compiled, structure)
        ).decode()
    text = _structures[key]
    for i, name in enumerate(names):  # the names need no escaping, in a string or in an expression
        text = text.replace(json.dumps(_stand_in(f"data {i}"))[1:-1], name)
    for field, value in own.items():
        if value is not None:
            text = text.replace(json.dumps(_stand_in(field)), json.dumps(value))
    if "\\u0000" in text:  # a placeholder the compiler used otherwise than as given
        return _direct(spec)
    result: dict[str, Any] = json.loads(text)
    for data in result.get("data", []):
        if data.get("name") in datasets and data.get("values") == []:
            data["values"] = datasets[data["name"]]
    return result


def _compiled(structure: dict[str, Any]) -> bytes:
    return json.dumps(vl_convert.vegalite_to_vega(structure)).encode()


def _direct(spec: dict[str, Any]) -> dict[str, Any]:
    return dict(vl_convert.vegalite_to_vega(spec))


def _stand_in(what: str) -> str:
    return f"\x00{what}\x00"  # no text from the data holds a NUL: the inputs refuse control characters


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]+")
F = TypeVar("F", bytes, Path)  # a file's content, or where it is
_structures: dict[str, str] = {}  # a structure (`compiled`) -> its Vega spec, as JSON
# the cache's folder of compiled structures. The shipped site has 144 (72 for the images, 72 for the
# browser), ~6.5 ms each to compile; helpers are new processes in each build and preview rebuild, and
# each compiled again the structures of the charts it was given (measured: 155 compiles a cold build)
_STRUCTURES = "structures"


def forget() -> None:
    """Drop the structures compiled in this process (`compiled`)."""
    _structures.clear()


# kind -> (how a file of that kind is made from the chart's spec, or for the PNG from its SVG, with the
# cache; its file name extension)
KINDS: dict[str, tuple[Callable[[Any, Path | None], bytes], str]] = {
    "svg": (_svg, "svg"),
    "png": (_png, "png"),
    "vega": (_vega, "vg.json"),
}


def _name(kind: str, key: str) -> str:
    return f"{kind}/{key}.{KINDS[kind][1]}"


def render(spec: dict[str, Any], cache: Path | None, kind: str = "svg") -> bytes:
    """The chart as SVG (at a fixed width), as PNG (`kind="png"`) or compiled to Vega (`"vega"`)."""
    return render_many({"chart": spec}, cache, kind)["chart"]


def _source(spec: dict[str, Any], kind: str, cache: Path | None) -> tuple[str, Any]:
    """The cache key of a chart's file of `kind` and what it is made from: the fixed spec, or for the
    PNG the chart's SVG (made first, and cached, when it is not)."""
    key, fixed = _fixed(spec, kind)
    if kind != "png":
        return key, fixed
    svg_key, svg_spec = _fixed(spec, "svg")
    return key, _cached(cache, _name("svg", svg_key), functools.partial(_svg, svg_spec, cache)).decode()


# files to make worth starting helper processes for, when this process waits for them: each takes
# ~0.4 s to start vl-convert, where this process, which has it running, makes a file in ~20 ms
PARALLEL_FROM = 60


class Rendering:
    """Each chart's files of each kind, and the chart runtime, being made into the cache.

    `start` hands whatever the cache lacks to helper processes (`python -m scoring.publish.svg`), which
    make it while this process goes on (the build renders the pages with MkDocs meanwhile: vl-convert
    holds the GIL, so threads would not help); `wait` returns every file, making here anything a helper
    did not deliver. Every file is a pure function of its spec, so it is the same whoever made it."""

    def __init__(
        self,
        specs: dict[str, dict[str, Any]],
        cache: Path | None,
        keys: dict[str, dict[str, str]],
        helpers: list[subprocess.Popen[bytes]],
        runtime: bool,
    ) -> None:
        self.specs, self.cache, self.keys, self.helpers, self.runtime = specs, cache, keys, helpers, runtime

    def wait(self) -> tuple[dict[str, dict[str, bytes]], bytes | None]:
        """Every chart's file of each kind ({kind: {chart id: content}}) and, when asked for, the chart
        runtime."""
        return self._every(functools.partial(_cached, self.cache))

    def located(self) -> tuple[dict[str, dict[str, Path]], Path | None]:
        """`wait`, for a build with a cache: where every file is in the cache, not its content."""
        assert self.cache is not None
        return self._every(functools.partial(_in_cache, self.cache))

    def _every(
        self, get: Callable[[str, Callable[[], bytes]], F]
    ) -> tuple[dict[str, dict[str, F]], F | None]:
        # once the helpers are done, `get(name, make)` of every file: the cache's, or made here
        for helper in self.helpers:
            helper.wait()
        made = {
            kind: {
                chart_id: get(_name(kind, key), functools.partial(self._make, kind, chart_id))
                for chart_id, key in keys.items()
            }
            for kind, keys in self.keys.items()
        }
        return made, get(_bundle_name(), _bundle) if self.runtime else None

    def stop(self) -> None:
        """Stop the helpers (a failed build): what they finished stays in the cache."""
        stop(self.helpers)

    def _make(self, kind: str, chart_id: str) -> bytes:
        return KINDS[kind][0](_source(self.specs[chart_id], kind, self.cache)[1], self.cache)


HELPER_NICENESS = 10
# charts whose files go to the helpers as one file of tasks (`_hand`): the most a helper can still be
# making when the other has nothing left, while each name sent costs a line on each helper's pipe
CHARTS_A_HAND = 4


class Handing:
    """What helper processes (`started`) were given: the charts' files (chart id, kind). A build hands a
    page's new charts as soon as the page is rendered (`hand`): the helpers make images from the first
    page on, instead of waiting for the last; `start` then hands the rest."""

    def __init__(self, helpers: list[subprocess.Popen[bytes]], cache: Path) -> None:
        self.helpers, self.cache = helpers, cache
        self.handed: set[tuple[str, str]] = set()

    def hand(
        self, specs: dict[str, dict[str, Any]], pngs: Collection[str], kinds: tuple[str, ...] = tuple(KINDS)
    ) -> None:
        """Hand the helpers the files of `kinds` of `specs` (a PNG for those in `pngs`) not handed
        before."""
        groups = _groups(specs, self.cache, kinds, {kind: {} for kind in kinds}, self.handed, pngs)
        _hand_out(self.helpers, self.cache, groups)


def _groups(
    specs: dict[str, dict[str, Any]],
    cache: Path | None,
    kinds: tuple[str, ...],
    keys: dict[str, dict[str, str]],
    handed: set[tuple[str, str]] | None = None,
    pngs: Collection[str] | None = None,
) -> list[list[tuple[str, str, Any]]]:
    """Each chart's tasks for what the cache lacks of its files of `kinds` (a chart's SVG and PNG in
    one group, the SVG first, since the PNG is made from it), a PNG only for the charts in `pngs` (all
    when None), a Vega spec only for those not `geographic`; `keys` gets every such file's key. Files
    already `handed` to a helper ((chart id, kind)) are left out, and those in the groups are added to
    it."""
    groups = []
    for chart_id in sorted(specs):
        group: list[tuple[str, str, Any]] = []
        spec, canonical = specs[chart_id], _canonical(specs[chart_id])
        for kind in kinds:
            if kind == "png" and pngs is not None and chart_id not in pngs:
                continue
            if kind == "vega" and geographic(spec):  # the browser draws a map without Vega
                continue
            key = keys[kind][chart_id] = _key(canonical, kind)
            if (
                cache is None
                or (handed and (chart_id, kind) in handed)
                or (cache / _name(kind, key)).exists()
            ):
                continue
            if handed is not None:
                handed.add((chart_id, kind))
            # for the PNG, what the helper needs to make the SVG, when it is not in the cache yet
            made_from = (
                [_key(canonical, "svg"), _fixed_spec(spec, "svg")]
                if kind == "png"
                else _fixed_spec(spec, kind)
            )
            group.append((kind, key, made_from))
        if group:
            groups.append(group)
    return groups


def start(
    specs: dict[str, dict[str, Any]],
    cache: Path | None,
    kinds: tuple[str, ...] = tuple(KINDS),
    runtime: bool = True,
    helpers: list[subprocess.Popen[bytes]] | None = None,
    waiting: bool = True,
    handing: Handing | None = None,
    pngs: Collection[str] | None = None,
) -> Rendering:
    """Start making every chart's files of `kinds` (a PNG only for the charts in `pngs`, if given; and
    the chart runtime, with `runtime`) that the cache lacks, in helper processes: the `helpers` given
    (`started` earlier, so that they are ready, and maybe already given some charts while the pages
    were rendered: `handing`), or new ones (`started`) when this process goes on meanwhile (not
    `waiting`) or there are enough files to make."""
    keys: dict[str, dict[str, str]] = {kind: {} for kind in kinds}
    groups = _groups(specs, cache, kinds, keys, handing.handed if handing else None, pngs)
    if helpers is None:  # `started` hands the first the runtime, if the cache lacks it
        missing = runtime and cache is not None and not (cache / _bundle_name()).exists()
        count = sum(map(len, groups)) + missing
        helpers = started(cache) if count and (count >= PARALLEL_FROM or not waiting) else []
    if helpers:  # without, `Rendering.wait` makes everything here
        assert cache is not None  # there are helpers only with a cache
        _hand_out(helpers, cache, groups)
        for helper in helpers:
            assert helper.stdin is not None
            helper.stdin.close()  # no more tasks
    return Rendering(specs, cache, keys, helpers, runtime)


def _hand_out(
    helpers: list[subprocess.Popen[bytes]], cache: Path, groups: list[list[tuple[str, str, Any]]]
) -> None:
    """Hand the helpers the charts' tasks (`_groups`), `CHARTS_A_HAND` charts a file."""
    for first in range(0, len(groups), CHARTS_A_HAND):
        _hand(helpers, cache, [task for group in groups[first : first + CHARTS_A_HAND] for task in group])


def _hand(helpers: list[subprocess.Popen[bytes]], cache: Path, tasks: list[tuple[str, str, Any]]) -> None:
    """Offer the helpers tasks: the name of a file that lists them (in the cache, which a stopped helper
    may leave it in), as one line to each, which the pipe takes without waiting for them to read it.
    The first helper free to take the file does its tasks (`_take`), so that each has work until all
    is done, whatever the tasks cost."""
    (cache / "tasks").mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="charts-", suffix=".json", dir=cache / "tasks")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(tasks))  # not json.dump, which encodes in Python, ~10 times slower
    for helper in helpers:
        assert helper.stdin is not None
        helper.stdin.write(name.encode() + b"\n")
        helper.stdin.flush()


def _take(tasks: Path) -> list[list[Any]] | None:
    """A helper's claim on a file of tasks offered to every helper: its tasks, or None when another
    helper took it first (renaming a file is atomic: one rename of it succeeds)."""
    taken = tasks.with_name(f"{tasks.name}.{os.getpid()}")
    try:
        tasks.rename(taken)
    except FileNotFoundError:
        return None
    try:
        return cast("list[list[Any]]", json.loads(taken.read_text("utf-8")))
    finally:
        taken.unlink()


def started(cache: Path | None) -> list[subprocess.Popen[bytes]]:
    """Helper processes, one a core (none with one core or no cache), started now. One makes the
    chart runtime at once if the cache lacks it (it depends on no chart); then each waits for the
    charts' tasks (`start`) or for the end of its input (`dismiss`)."""
    cores = min(os.cpu_count() or 1, 8)
    if cache is None or cores < 2:
        return []
    helpers = [
        subprocess.Popen(
            [sys.executable, "-m", "scoring.publish.svg", str(cache)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(cores)
    ]
    if not (cache / _bundle_name()).exists():
        _hand(helpers, cache, [("bundle", _bundle_name(), None)])
    return helpers


def stop(helpers: list[subprocess.Popen[bytes]]) -> None:
    """Stop helpers at once (a failed build): what they finished stays in the cache."""
    for helper in helpers:
        helper.terminate()
        _end_input(helper)
        helper.wait()


def dismiss(helpers: list[subprocess.Popen[bytes]]) -> None:
    """End the helpers' input, once they will get no chart (the pages failed): they finish what they
    were given, the runtime, into the cache, and exit."""
    for helper in helpers:
        _end_input(helper)
        helper.wait()


def _end_input(helper: subprocess.Popen[bytes]) -> None:
    if helper.stdin is not None and not helper.stdin.closed:
        helper.stdin.close()


def _make(cache: Path, kind: str, key: str, source: Any) -> None:
    """A helper's task: one file into the cache."""
    if kind == "bundle":
        javascript_bundle(cache)
    elif kind == "png":
        svg_key, svg_spec = source
        image = _cached(cache, _name("svg", svg_key), functools.partial(_svg, svg_spec, cache)).decode()
        _cached(cache, _name(kind, key), functools.partial(_png, image))
    else:
        _cached(cache, _name(kind, key), functools.partial(KINDS[kind][0], source, cache))


def render_many(specs: dict[str, dict[str, Any]], cache: Path | None, kind: str = "svg") -> dict[str, bytes]:
    """Every chart as a file of `kind`, by id, the same as one `render` after another."""
    return start(specs, cache, (kind,), runtime=False).wait()[0][kind]


def geometry(spec: dict[str, Any], cache: Path | None) -> bytes:
    """The map's shapes as the browser colours them (map.js): `spec` (`geo.geometry_spec`) drawn by
    vl-convert at the static images' width, so that the shapes sit exactly as there, then cut down to
    what the page needs: one `<g data-part>` per projection (the world, then Europe), each shape a
    `<path data-id>` (the ISO numeric code its description carries) with coordinates to 0.1 px, each dot
    a `<circle data-id>`; no text and no colours (the page gives them). The drawing is made here unless
    the cache has it (a build hands it to a helper first, `GEOMETRY`)."""
    key, fixed = _fixed(spec, "svg")
    return _shapes(_cached(cache, _name("svg", key), functools.partial(_svg, fixed, cache)).decode())


GEOMETRY = "map-shapes"  # what a build hands the helpers the map's drawing as (`geometry`): an SVG

_SVG_NS = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_TRANSLATE = re.compile(r"translate\(([-0-9.e]+),([-0-9.e]+)\)")
_LAYER = re.compile(r"\blayer_(\d+)_")


def _shapes(text: str) -> bytes:
    root = ElementTree.fromstring(text)
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    pad_x, pad_y = _offset(root.find(f"{_SVG_NS}g"))  # autosize "pad": the image's margin, dropped here
    parts: dict[int, list[str]] = {}

    def walk(element: ElementTree.Element, x: float, y: float, part: int | None) -> None:
        dx, dy = _offset(element)
        x, y = x + dx, y + dy
        tag = element.tag.removeprefix(_SVG_NS)
        if tag == "g" and (layer := _LAYER.search(element.get("class", ""))):
            part = int(layer[1])
        if tag == "path" and element.get("aria-label") and part is not None:
            key = escape(element.get("aria-label", ""), quote=True)
            if element.get("aria-roledescription") == "circle":
                radius = float(_NUMBER.findall(element.get("d", ""))[0])
                parts.setdefault(part, []).append(
                    f'<circle data-id="{key}" cx="{_round(x)}" cy="{_round(y)}" r="{_round(radius)}"/>'
                )
            elif element.get("d"):
                moved = "" if (x, y) == (0, 0) else f' transform="translate({_round(x)},{_round(y)})"'
                d = _NUMBER.sub(lambda m: _round(float(m[0])), element.get("d", ""))
                parts.setdefault(part, []).append(f'<path data-id="{key}" d="{d}"{moved}/>')
        for child in element:
            walk(child, x, y, part)

    walk(root, -pad_x, -pad_y, None)
    groups = "".join(f'<g data-part="{i}">{"".join(parts[i])}</g>' for i in sorted(parts))
    box = f"0 0 {_round(width - 2 * pad_x)} {_round(height - 2 * pad_y)}"
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}">{groups}</svg>\n'.encode()


def _offset(element: ElementTree.Element | None) -> tuple[float, float]:
    found = _TRANSLATE.search(element.get("transform", "")) if element is not None else None
    return (float(found[1]), float(found[2])) if found else (0.0, 0.0)


def _round(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# The browser's chart runtime: Vega's view, parser and loader with only the transforms that compiled
# Vega-Lite specs use (no force, hierarchy, voronoi, word cloud, label, regression, crossfilter), the
# vega-tooltip handler and Vega's expression interpreter; no Vega-Lite (the specs are compiled at build
# time) and no vega-embed. 155 kB gzipped, where vl-convert's default bundle is 305. The modules are
# named by the URLs under which vl-convert holds them (the versions its vega-embed uses); nothing is
# fetched. vl-convert documents the snippet as import-free; these imports work with 1.9 and an upgrade
# that moves the modules fails the build (with "Cannot resolve"), not the site.
_NPM = "https://cdn.jsdelivr.net/npm"
RUNTIME = {
    "util": "vega-util@2.1.0",
    "dataflow": "vega-dataflow@6.1.0",
    "transforms": "vega-transforms@5.1.0",
    "view_transforms": "vega-view-transforms@5.1.0",
    "encode": "vega-encode@5.1.0",
    "view": "vega-view@6.1.0",
    "parser": "vega-parser@7.1.0",
    "loader": "vega-loader@5.1.0",
    "tooltip": "vega-tooltip@1.0.0",
    "interpreter": "vega-interpreter@2.0.0",
}
_M = {name: f"{_NPM}/{module}/+esm" for name, module in RUNTIME.items()}


_SNIPPET = f"""
import {{ extend }} from "{_M["util"]}";
import {{ transforms }} from "{_M["dataflow"]}";
import * as tx from "{_M["transforms"]}";
import * as vtx from "{_M["view_transforms"]}";
import * as encode from "{_M["encode"]}";
import {{ View }} from "{_M["view"]}";
import {{ parse }} from "{_M["parser"]}";
import {{ loader }} from "{_M["loader"]}";
import {{ Handler as TooltipHandler }} from "{_M["tooltip"]}";
import {{ expressionInterpreter as interpreter }} from "{_M["interpreter"]}";
extend(transforms, tx, vtx, encode);
window.vega = {{ View, parse, loader }};
window.VegaTooltip = TooltipHandler;
window.vegaInterpreter = interpreter;
"""


def javascript_bundle(cache: Path | None) -> bytes:
    """The chart runtime in one script, served from the site itself: `vega.View`, `vega.parse` and
    `vega.loader`, the vega-tooltip handler (`VegaTooltip`) and Vega's expression interpreter
    (`vegaInterpreter`, so that the Content-Security-Policy needs no 'unsafe-eval'). No geographic
    transforms: the map page draws its maps with map.js, from shapes projected at build time."""
    return _cached(cache, _bundle_name(), _bundle)


def _bundle() -> bytes:
    return str(vl_convert.javascript_bundle(_SNIPPET)).encode()


def _bundle_name() -> str:
    key = hashlib.sha256(_SNIPPET.encode()).hexdigest()[:12]
    return f"vega-runtime-{VL_CONVERT}-{key}.js"


# a helper of `started` and `start`: a line on stdin for each file of tasks, [[kind, key, what to make
# it from], ...]; each made into the cache
if __name__ == "__main__":
    # below the process that started it, which renders the pages meanwhile: the images are needed
    # only once those are rendered (measured, cold build: 5.0 s of MkDocs at the helpers' priority,
    # ~4 s below it)
    os.nice(HELPER_NICENESS)
    for line in sys.stdin:
        for task in _take(Path(line.strip())) or []:
            _make(Path(sys.argv[1]), *task)
