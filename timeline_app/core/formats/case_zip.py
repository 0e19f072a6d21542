"""A case folder as a .zip: export (case.json + documents/) and safe import.

Import refuses, each with a message naming the member: absolute paths, ``..`` components,
symbolic links, encrypted members, names that appear twice, more than ``MAX_FILES`` members,
more than ``MAX_TOTAL_BYTES`` uncompressed, and members that expand more than ``MAX_RATIO``
times (zip bombs). Sizes are checked again while extracting, so a forged header does not help.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO

from timeline_app.core.casefile import CASE_FILE, CaseLoadError, case_to_dict, load_case
from timeline_app.core.formats.common import FormatError, ImportResult, Reporter, ReportItem
from timeline_app.core.model import Case

MAX_FILES = 10_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 64 * 1024  # smaller members cannot be bombs worth refusing
_JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$)")


# ================================================================================ export


def write_case_zip(case: Case, stream: IO[bytes]) -> list[ReportItem]:
    """Write case.json and every document's text to a zip (members at the top level)."""
    report: list[ReportItem] = []
    payload = json.dumps(case_to_dict(case), ensure_ascii=False, indent=2) + "\n"
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CASE_FILE, payload.encode("utf-8"))
        for doc in case.documents:
            if doc.path is None:
                if doc.text:
                    report.append(ReportItem("", doc.id, "document text without a path"))
                continue
            data = _document_bytes(case, doc.path, doc.text)
            if data is None:
                report.append(ReportItem("", doc.id, f"document file {doc.path} not found"))
                continue
            archive.writestr(doc.path, data)
    return report


def _document_bytes(case: Case, rel_path: str, text: str) -> bytes | None:
    if text:
        return text.encode("utf-8")
    if case.folder is not None and (Path(case.folder) / rel_path).is_file():
        return (Path(case.folder) / rel_path).read_bytes()
    return b"" if case.folder is None else None


# ================================================================================ import


def extract_case_zip(
    path: str | Path,
    folder: str | Path,
    *,
    max_files: int = MAX_FILES,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: int = MAX_RATIO,
) -> ImportResult:
    """Check every member of a case zip, extract the case into the empty ``folder`` and
    load it. Raises FormatError when the zip is refused: the member checks run before
    anything is written; `registry.import_into` extracts into a hidden staging folder, so a
    later failure (a corrupt member, a case.json that is not a case) leaves nothing."""
    path, folder = Path(path), Path(folder)
    reporter = Reporter(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise FormatError(path, f"not a readable zip file ({err})") from None
    with archive:
        members = check_members(path, archive.infolist(), max_files, max_total, max_ratio)
        prefix = case_root(path, members)
        for info, name in members:
            if not name.startswith(prefix):
                reporter.skip(name, "outside the folder holding case.json")
                continue
            if _JUNK.search(name):
                reporter.skip(name, "operating system clutter")
                continue
            relative = name[len(prefix) :]
            if relative and not info.is_dir():
                _extract(path, archive, info, folder / relative, folder)
    try:
        case, problems = load_case(folder)
    except CaseLoadError as err:
        raise FormatError(path, f"{CASE_FILE} in the zip is not a case: {err}") from None
    for problem in problems:
        reporter.note(
            Path(problem.file).name,
            f"{problem.line}:{problem.col}: {problem.path}: {problem.message}",
        )
    return ImportResult(case, reporter.items)


def check_members(
    path: Path, infos: list[zipfile.ZipInfo], max_files: int, max_total: int, max_ratio: int
) -> list[tuple[zipfile.ZipInfo, str]]:
    """The members with their normalised names; FormatError at the first refusal."""
    if len(infos) > max_files:
        raise FormatError(path, f"refused: {len(infos)} members, more than the {max_files} allowed")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise FormatError(
            path, f"refused: {total:,} bytes uncompressed, more than the {max_total:,} allowed"
        )
    seen: set[str] = set()
    members = []
    for info in infos:
        name = info.filename.replace("\\", "/")
        problem = member_problem(info, name, max_ratio)
        if problem is None and name.rstrip("/").casefold() in seen:
            problem = "appears twice"
        if problem is not None:
            raise FormatError(path, f"refused: member {info.filename!r} {problem}")
        seen.add(name.rstrip("/").casefold())
        members.append((info, name))
    return members


def member_problem(info: zipfile.ZipInfo, name: str, max_ratio: int) -> str | None:
    """Why a member must not be extracted, or None."""
    parts = PurePosixPath(name).parts
    if "\x00" in name:
        return "has a NUL character in its name"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in name.split("/"):
        return "has a '..' component (a path outside the target folder)"
    if not parts:
        return "has an empty name"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if info.file_size > RATIO_MIN_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return f"expands {ratio}:1, more than the {max_ratio}:1 allowed (a zip bomb?)"
    return None


def case_root(path: Path, members: list[tuple[zipfile.ZipInfo, str]]) -> str:
    """'' when case.json is at the top of the zip, 'name/' when it is in one top folder."""
    names = {name for _, name in members}
    if CASE_FILE in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names if not _JUNK.search(name)}
    if len(tops) == 1:
        top = tops.pop()
        if f"{top}/{CASE_FILE}" in names:
            return f"{top}/"
    raise FormatError(path, f"no {CASE_FILE} at the top of the zip or in its one top folder")


def _extract(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, folder: Path
) -> None:
    if not dest.resolve().is_relative_to(folder.resolve()):
        raise FormatError(path, f"refused: member {info.filename!r} leads outside the target")
    dest.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with archive.open(info) as source, open(dest, "xb") as target:
            while chunk := source.read(1 << 16):
                written += len(chunk)
                if written > info.file_size:
                    raise FormatError(
                        path, f"refused: member {info.filename!r} is larger than stated"
                    )
                target.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as err:
        raise FormatError(
            path, f"member {info.filename!r} is corrupt or unsupported: {err}"
        ) from None
    except OSError as err:
        raise FormatError(path, f"cannot extract member {info.filename!r}: {err}") from None
