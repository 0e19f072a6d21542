"""`timeline-app export` to PNG, SVG, PDF and HTML, read back: size, text, titles, exit codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.core.casefile import load_case
from timeline_app.paths import default_case_dir

SVG = "{http://www.w3.org/2000/svg}"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def titles() -> list[str]:
    case, _ = load_case(default_case_dir())
    return [ev.title for ev in case.events]


def words(text: str) -> str:
    return " ".join(text.split())


def svg_texts(path: Path) -> tuple[str, list[str]]:
    root = ET.parse(path).getroot()
    title = root.find(f"{SVG}title")
    texts = [words("".join(el.itertext())) for el in root.iter(f"{SVG}text")]
    return (title.text if title is not None else ""), texts


def test_png_has_the_requested_size(capsys, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "t.png"
    code, stdout, _ = run_cli(
        capsys, "export", "--to", str(out), "--width", "1200", "--scale", "1.5"
    )
    assert code == 0, stdout
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() == 1800
    assert image.height() > 300
    assert [p.name for p in tmp_path.iterdir()] == ["t.png"]  # written atomically


def test_png_default_scale_is_two(capsys, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "t.png"
    assert run_cli(capsys, "export", "--to", str(out))[0] == 0
    assert QImage(str(out)).width() == 3200


def test_svg_keeps_every_title_as_text(capsys, tmp_path: Path, titles: list[str]) -> None:
    out = tmp_path / "t.svg"
    assert run_cli(capsys, "export", "--to", str(out))[0] == 0
    svg_title, texts = svg_texts(out)
    assert svg_title == "Milwaukee Police SOP 130, 2016–2019"
    for title in titles:
        assert words(title) in texts
    assert "Federal government" in " ".join(texts)  # lane names (wrapped over lines)
    assert any(t.startswith("Exported ") and t.endswith("from timeline-app") for t in texts)
    assert "Approximate (~)" in texts and "Uncertain (?)" in texts


def test_pdf_text_holds_every_title(capsys, tmp_path: Path, titles: list[str]) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "t.pdf"
    assert run_cli(capsys, "export", "--to", str(out))[0] == 0
    reader = pypdf.PdfReader(str(out))
    text = words(" ".join(page.extract_text() for page in reader.pages))
    for title in titles:
        assert words(title) in text
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    fonts = page["/Resources"]["/Font"].values()
    assert all(_embedded(font.get_object()) for font in fonts)


def _embedded(font) -> bool:
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_range_and_lanes_narrow_the_snapshot(capsys, tmp_path: Path) -> None:
    out = tmp_path / "july.svg"
    args = ["export", "--to", str(out), "--range", "2017-07/2017-07", "--lanes", "Advocates,city"]
    code, stdout, _ = run_cli(capsys, *args)
    assert code == 0
    assert "Exported 3 events" in stdout
    _, texts = svg_texts(out)
    joined = " | ".join(texts)
    assert "Rally at City Hall against the revision" in texts
    assert "Revised SOP 130 takes effect" in texts
    assert "Executive Order 13768" not in joined  # another lane
    assert "Press" not in texts
    assert any(t.startswith("Range 2017-07/2017-07") for t in texts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--width", "50"], "--width 50"),
        (["--scale", "0"], "--scale 0"),
        (["--width", "16000", "--scale", "4"], "px wide"),
        (["--width", "3200", "--scale", "10"], "megapixels"),
        (["--lanes", "nobody"], "no lane 'nobody'"),
        (["--range", "June"], "--range"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(capsys, tmp_path: Path, args, message) -> None:
    code, _, err = run_cli(capsys, "export", "--to", str(tmp_path / "t.png"), *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_exits_1(capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli(capsys, "export", "--to", str(blocker / "t.png"))
    assert code == 1
    assert "cannot write" in err
