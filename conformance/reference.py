"""reference_cases/tf-<version>/: TensorFlow's observations, as the recorder wrote them.

One JSON file per family plus `manifest.json` (versions, date, catalogue entries
covered, a sha256 per file, and in format 2 `inputs_from` when the inputs were taken
from another recording). Format 2 also has crash observations (record.crashed);
format 1 folders are read as they are. Reading checks everything before any case runs: a
missing, truncated or altered file is a ReferenceDataError naming the file. The suite reads
with `strict=False`: a damaged family file then fails that family's cases with its error,
and the other families still run (a damaged manifest still stops everything: nothing
can be checked without it).
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import re

from . import codec

ROOT = pathlib.Path(__file__).resolve().parents[1] / "reference_cases"
FORMAT = 2  # what the recorder writes
READABLE = (1, 2)  # what this reader accepts


class ReferenceDataError(Exception):
    """The recorded reference data cannot be used; the message names the file."""


def folders(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """Recorded TF versions, oldest first."""

    def version(path):
        return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.\-]", path.name[3:]))

    return sorted((p for p in root.glob("tf-*") if p.is_dir()), key=version)


def default_folder(root: pathlib.Path = ROOT) -> pathlib.Path:
    found = folders(root)
    if not found:
        raise ReferenceDataError(f"{root}: no recorded reference cases (run `python -m conformance record`)")
    return found[-1]


def dumps(document) -> str:
    """The one JSON layout the recorder writes: stable key order, one file twice gives one text."""
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Recording:
    """A loaded, checked reference folder: examples by case id, and the manifest."""

    def __init__(self, folder: pathlib.Path, skip: frozenset[str] = frozenset(), strict: bool = True):
        """Loads and checks every family file the manifest lists, except the families in `skip`.
        Not `strict`: a family file that fails its checks is left out, its error kept in `damaged`."""
        self.folder = pathlib.Path(folder)
        self.manifest = self._manifest()
        self.examples: dict[str, list[dict]] = {}
        self.covers: dict[str, list[str]] = {}  # case id -> the catalogue behaviours it showed
        self.damaged: dict[str, str] = {}  # family -> what is wrong with its file
        for name, digest in sorted(self.manifest["files"].items()):
            family = name.removesuffix(".json")
            if family in skip:
                continue
            try:
                self._load_family(self.folder / name, digest)
            except ReferenceDataError as exc:
                if strict:
                    raise
                self.damaged[family] = str(exc)

    @property
    def tensorflow_version(self) -> str:
        return self.manifest["versions"]["tensorflow"]

    def _read(self, path: pathlib.Path):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ReferenceDataError(f"{path}: missing (re-record with `python -m conformance record`)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ReferenceDataError(f"{path}: unreadable: {exc}") from None
        try:
            return text, json.loads(text, parse_constant=self._no_constants)
        except ValueError as exc:
            raise ReferenceDataError(f"{path}: not valid JSON (truncated or edited?): {exc}") from None

    @staticmethod
    def _no_constants(name):
        raise ValueError(f"non-standard JSON constant {name}")

    def _manifest(self) -> dict:
        path = self.folder / "manifest.json"
        _, manifest = self._read(path)
        if not isinstance(manifest, dict) or manifest.get("format") not in READABLE:
            formats = " or ".join(map(str, READABLE))
            raise ReferenceDataError(f"{path}: not a format-{formats} manifest")
        for key in ("versions", "files", "catalogue", "recorded"):
            if key not in manifest:
                raise ReferenceDataError(f"{path}: no {key!r} entry")
        if not isinstance(manifest["files"], dict):
            raise ReferenceDataError(f"{path}: 'files' must map file names to sha256 digests")
        return manifest

    def _load_family(self, path: pathlib.Path, digest: str) -> None:
        if path.parent != self.folder or path.suffix != ".json":
            raise ReferenceDataError(f"{self.folder / 'manifest.json'}: bad file entry {path.name!r}")
        text, document = self._read(path)
        if sha256(text) != digest:
            raise ReferenceDataError(f"{path}: content differs from its manifest digest (altered by hand?)")
        examples, covers = {}, {}
        try:
            for case_id, entry in document["cases"].items():
                covers[case_id] = [str(b) for b in entry.get("covers", [])]
                examples[case_id] = [
                    {"inputs": codec.decode(example["inputs"]), "observation": _checked(example["observation"])}
                    for example in entry["examples"]
                ]
        except (KeyError, TypeError, AttributeError, codec.FormatError) as exc:
            raise ReferenceDataError(f"{path}: malformed reference data: {exc!r}") from None
        self.examples.update(examples)  # all of a family's cases, or none
        self.covers.update(covers)


def _checked(observation):
    if not isinstance(observation, dict) or "result" not in observation or "logs" not in observation:
        raise codec.FormatError("an observation needs 'result' and 'logs'")
    return observation
