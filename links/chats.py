"""Chat logs exported from WeChat or QQ -> phones, WeChat and QQ ids, accounts and shop names, by line.

Exports differ ("2024-03-01 09:12 买家：…", "[2024/3/1 9:12] 张三: …", QQ's
"2024-03-01 9:12:33 汇通日化(123456789)" header lines), so every line is read as free text;
the one structure used is QQ's header, whose number in brackets is the speaker's QQ id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from links.entities import Mention, Source
from links.extract import name_mention, qq_mentions, text_mentions
from links.text_files import read_text_file

__all__ = ["ChatReading", "chat_mentions", "read_chat"]

MAX_LINE = 2000  # a longer "line" is a pasted document; its first 2,000 characters are read
_QQ_HEADER = re.compile(r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s+(.{1,40}?)[(（]([1-9]\d{4,10})[)）]\s*$")


@dataclass
class ChatReading:
    """What one chat log gave: its encoding, the lines read and the mentions."""

    path: Path
    encoding: str = ""
    lines: int = 0
    mentions: list[Mention] = field(default_factory=list)


def chat_mentions(text: str, case: str, file: str) -> list[Mention]:
    """Mentions in a chat log's text, each with its 1-based line number and the line as read."""
    out: list[Mention] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line[:MAX_LINE]
        if not line.strip() or not re.search(r"[\dA-Za-z\u4e00-\u9fff]", line):
            continue
        source = Source(case, file, "chat", line=number, text=line.strip())
        header = _QQ_HEADER.match(line)
        if header:
            out += qq_mentions(header.group(2), source, "contact", bare=True)
            out += name_mention(header.group(1), source, "contact", trust=0.5)
            continue
        out += text_mentions(line, source, "contact")
    return out


def read_chat(path: str | Path, case: str = "", file: str = "") -> ChatReading:
    """Read one chat log (UTF-8, UTF-8 BOM, UTF-16 BOM or GB18030) into mentions with their lines.

    Parameters
    ----------
    path : the chat log, a text file.
    case : the case id the mentions belong to.
    file : the file's path as shown in sources (relative to the case folder); default its name.

    Returns
    -------
    ChatReading

    Raises
    ------
    InputError
        When the file cannot be read, or is in another encoding (Big5, Shift-JIS ...).
    """
    path = Path(path)
    decoded = read_text_file(path)
    mentions = chat_mentions(decoded.text, case, file or path.name)
    return ChatReading(path, decoded.encoding, decoded.text.count("\n") + 1, mentions)
