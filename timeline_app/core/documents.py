"""Importing document files (.txt, .md, .html, .pdf; folders recursively) into a case.

Three steps, so that the window can run the slow one in a worker thread:

1. :func:`read_documents` reads files and folders into a :class:`DocumentBatch` of plain
   data (texts read, files skipped with the reason); it can report progress and be cancelled.
2. :func:`documents_for` turns the batch into :class:`~timeline_app.core.model.Document`\\ s
   with ids unique in the case; :class:`AddDocuments` adds them as one undoable command.
3. :func:`import_documents` does it all for the CLI: it creates the case folder (or adds to
   the case in it) and saves it atomically.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timeline_app.core.casefile import CASE_FILE, CaseLoadError, load_case, save_case
from timeline_app.core.commands import Command, EditError, check_when
from timeline_app.core.document_text import (
    MAX_BYTES,
    DocumentError,
    DocumentText,
    is_document_file,
    read_document_file,
)
from timeline_app.core.model import Case, Document, unique_id

__all__ = [
    "MAX_BYTES",
    "AddDocuments",
    "DocumentBatch",
    "DocumentImport",
    "DocumentText",
    "SetDocumentDate",
    "Skipped",
    "collect_files",
    "documents_for",
    "import_documents",
    "read_documents",
]

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file)


@dataclass(frozen=True)
class Skipped:
    """A file that was not imported, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass
class DocumentBatch:
    """The outcome of reading files: texts read, files skipped, whether it was cancelled."""

    read: list[DocumentText] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    cancelled: bool = False
    total: int = 0  # files considered


@dataclass
class DocumentImport:
    """What :func:`import_documents` did. ``case`` is the case written, None when nothing was
    imported (then nothing was written). ``report`` lists it all, one line per item."""

    case: Case | None
    imported: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    report: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------- reading


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The document files named or inside the folders named (recursively, in name order).

    In folders, hidden files and files of other types are passed over quietly; a file named
    directly that is not a document type, or a path that does not exist, is skipped."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            files.extend(_documents_in(path))
        elif not path.exists():
            skipped.append(Skipped(str(path), "no such file or folder"))
        elif is_document_file(path):
            files.append(path)
        else:
            skipped.append(
                Skipped(str(path), f"not a document type ({path.suffix or 'no extension'})")
            )
    unique = list(dict.fromkeys(files))
    return unique, skipped


def _documents_in(folder: Path) -> list[Path]:
    """Document files under ``folder`` in name order; hidden files and folders, and links to
    folders (which could loop), are not entered."""
    found = []
    for root, folders, files in os.walk(folder, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and is_document_file(path) and path.is_file():
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def read_documents(
    paths: Sequence[Path],
    *,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DocumentBatch:
    """Read every document file in ``paths`` (files or folders). Never raises for a bad file:
    it is skipped with the reason. Stops early (``cancelled=True``) when ``cancelled()``."""
    files, skipped = collect_files(paths)
    batch = DocumentBatch(skipped=skipped, total=len(files))
    for number, path in enumerate(files):
        if cancelled is not None and cancelled():
            batch.cancelled = True
            break
        if progress is not None:
            progress(number, len(files), str(path))
        try:
            batch.read.append(read_document_file(path, max_bytes))
        except DocumentError as err:
            batch.skipped.append(Skipped(str(path), str(err)))
    if progress is not None and not batch.cancelled:
        progress(len(files), len(files), "")
    return batch


# ------------------------------------------------------------------------------- into a case


def documents_for(case: Case, texts: Iterable[DocumentText]) -> list[Document]:
    """New documents for ``case`` (not added yet), with ids unique in it and each other."""
    taken = {doc.id for doc in case.documents}
    documents = []
    for read in texts:
        doc_id = unique_id(_slug(Path(read.source_file).stem), taken)
        taken.add(doc_id)
        extra: dict[str, object] = {"source_file": read.source_file}
        if read.file_modified:
            extra["file_modified"] = read.file_modified
        documents.append(
            Document(
                id=doc_id,
                title=read.title,
                date=read.date,
                kind=read.kind,
                text=read.text,
                extra=extra,
            )
        )
    return documents


def _slug(stem: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", stem.lower()))[:60].strip("-") or "document"


class AddDocuments(Command):
    """Add documents to the case (one undo step removes them all)."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = list(documents)
        count = len(self.documents)
        self.text = f"Import {count} document" + ("" if count == 1 else "s")

    def _check(self, case: Case) -> None:
        if not self.documents:
            raise EditError("documents", "no documents to add")
        taken = {doc.id for doc in case.documents}
        for number, doc in enumerate(self.documents):
            if doc.id in taken or not doc.id.strip():
                raise EditError(f"documents[{number}].id", f"{doc.id!r} is empty or taken")
            taken.add(doc.id)

    def _do(self, case: Case) -> None:
        case.documents.extend(self.documents)

    def undo(self, case: Case) -> None:
        added = {id(doc) for doc in self.documents}
        case.documents[:] = [doc for doc in case.documents if id(doc) not in added]


class SetDocumentDate(Command):
    """Set (or clear, with "") a document's own date; undo puts the old one back."""

    def __init__(self, document_id: str, date: str) -> None:
        self.document_id = document_id
        self.date = date
        self.text = f"Set the date of document {document_id}"
        self._document: Document | None = None
        self._old = ""

    def _check(self, case: Case) -> None:
        document = case.document_by_id(self.document_id)
        if document is None:
            raise EditError("document", f"no document {self.document_id!r}")
        if self.date:
            self.date = check_when(self.date, "date").edtf
        self._document = document
        self.text = f"Set the date of “{document.title or document.id}”"

    def _do(self, case: Case) -> None:
        assert self._document is not None
        self._old, self._document.date = self._document.date, self.date

    def undo(self, case: Case) -> None:
        assert self._document is not None
        self._document.date = self._old


def import_documents(
    paths: Sequence[Path], case_dir: Path, *, max_bytes: int | None = None
) -> DocumentImport:
    """Import document files and folders into the case in ``case_dir``: a new case when the
    folder does not exist or is empty, else the case it holds. Saved atomically, and only
    when at least one document was imported."""
    case, problem = _target_case(case_dir)
    if case is None:
        return DocumentImport(None, report=[f"cannot import into {case_dir}: {problem}"])
    batch = read_documents(paths, max_bytes=max_bytes)
    documents = documents_for(case, batch.read)
    report = _report_lines(batch, documents)
    if not documents:
        report.append(f"No documents imported into {case_dir}; nothing was written")
        return DocumentImport(None, [], batch.skipped, report)
    case.documents.extend(documents)
    try:
        _save(case, case_dir)
    except (OSError, ValueError) as err:
        report.append(f"cannot write {case_dir}: {getattr(err, 'strerror', None) or err}")
        return DocumentImport(None, [], batch.skipped, report)
    skipped = f" ({len(batch.skipped)} skipped, listed above)" if batch.skipped else ""
    report.append(f"Imported {len(documents)} documents into {case_dir}{skipped}")
    return DocumentImport(case, documents, batch.skipped, report)


def _save(case: Case, case_dir: Path) -> None:
    """Save ``case`` in ``case_dir``. A new case is built in a hidden folder beside it and
    renamed into place, so that a failure leaves no half-written case."""
    if case.folder is not None:
        save_case(case, case_dir)
        return
    case_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=case_dir.parent, prefix=f".{case_dir.name}."))
    try:
        save_case(case, building)
        if case_dir.is_dir():
            case_dir.rmdir()  # empty (checked before)
        os.replace(building, case_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    case.folder = case_dir.resolve()


def _target_case(case_dir: Path) -> tuple[Case | None, str]:
    if case_dir.exists() and not case_dir.is_dir():
        return None, "it is a file, not a folder"
    if (case_dir / CASE_FILE).is_file():
        try:
            case, _problems = load_case(case_dir)
        except CaseLoadError as err:
            return None, "; ".join(str(p) for p in err.problems) or "not a case"
        return case, ""
    if case_dir.is_dir() and any(case_dir.iterdir()):
        return None, f"the folder is not empty and holds no {CASE_FILE}"
    return Case(title=case_dir.name or "Imported documents"), ""


def _report_lines(batch: DocumentBatch, documents: Sequence[Document]) -> list[str]:
    lines = []
    for read, doc in zip(batch.read, documents, strict=True):
        lines.append(f"imported {read.path} as {doc.id}: {describe_date(read)}")
        lines.extend(f"  warning: {warning}" for warning in read.warnings)
    lines.extend(str(skip) for skip in batch.skipped)
    return lines


def describe_date(read: DocumentText) -> str:
    """How the document's date was found, or that it was not (with the file's date offered)."""
    if read.date:
        return f"dated {read.date} (from the {read.date_found_in})"
    offered = f"; the file was modified on {read.file_modified}" if read.file_modified else ""
    return f"no date found, left empty{offered}"
