"""Refresh the translation catalogues so gettext's own checker (``msgfmt -c``) accepts them.

    python scripts/catalogues.py update   # extract the template, merge it into ru/kk, then tidy (below)
    python scripts/catalogues.py tidy     # only tidy: after filling translations with any Babel-based tool

Babel flags every message whose English text happens to look like a printf directive as ``python-format``
("95% limit" reads as ``% li``); msgfmt then checks the translation as a printf format and rejects "95 % limit".
The product never formats messages with ``%`` (``t()`` fills ``{placeholders}`` with ``str.format``), so the flag
is always wrong here: tidying removes it. Babel re-adds it on every read, so tidying works on the text of the files.
Tidying also writes the header: the project name and version, the (empty) bug address and the revision date (now).
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "locales" / "messages.pot"
CATALOGUES = sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po"))
PROJECT = "Densaulyq"
VERSION = "0.1.0"  # pyproject.toml
BUGS = ""  # no public address yet; an empty field rather than Babel's EMAIL@ADDRESS

_FLAG_LINE = re.compile(r"^#,(.*)$", re.MULTILINE)


def _without_python_format(match: re.Match[str]) -> str:
    flags = [f.strip() for f in match.group(1).split(",") if f.strip() and f.strip() != "python-format"]
    return "#, " + ", ".join(flags) if flags else "\0"


def tidy_text(text: str, now: datetime, template: bool = False) -> str:
    """``text`` of a .po/.pot file without python-format flags and with the project's header."""
    text = _FLAG_LINE.sub(_without_python_format, text).replace("\0\n", "")
    stamp = now.strftime("%Y-%m-%d %H:%M+0000")
    text = re.sub(r'"Project-Id-Version: [^"]*\\n"', f'"Project-Id-Version: {PROJECT} {VERSION}\\\\n"', text, count=1)
    text = re.sub(r'"Report-Msgid-Bugs-To: [^"]*\\n"', f'"Report-Msgid-Bugs-To: {BUGS}\\\\n"', text, count=1)
    text = text.replace("# FIRST AUTHOR <EMAIL@ADDRESS>,", f"# {PROJECT} contributors,")
    if not template:
        text = re.sub(r'"PO-Revision-Date: [^"]*\\n"', f'"PO-Revision-Date: {stamp}\\\\n"', text, count=1)
    else:
        text = text.replace("# Translations template for PROJECT.", f"# Translations template for {PROJECT}.")
        text = text.replace("# Copyright (C) 2026 ORGANIZATION", f"# Copyright (C) 2026 {PROJECT} contributors")
        text = text.replace("same license as the PROJECT project", f"same license as the {PROJECT} project")
    return text


def tidy(now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    for path, template in [(TEMPLATE, True), *((p, False) for p in CATALOGUES)]:
        path.write_text(tidy_text(path.read_text(encoding="utf-8"), now, template), encoding="utf-8")


def update() -> None:
    subprocess.run(["pybabel", "extract", "-F", "babel.cfg", "-k", "t", f"--project={PROJECT}",
                    f"--version={VERSION}",
                    f"--copyright-holder={PROJECT} contributors", "-o", str(TEMPLATE), "."], cwd=ROOT, check=True)
    subprocess.run(["pybabel", "update", "-i", str(TEMPLATE), "-d", "locales", "--no-fuzzy-matching"], cwd=ROOT,
                   check=True)
    tidy()


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command not in ("update", "tidy"):
        sys.exit(f"unknown command {command!r}: use 'update' or 'tidy'")
    update() if command == "update" else tidy()
