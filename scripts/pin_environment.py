"""Pin environment.yml to the exact versions of requirements.lock, so the conda path installs what CI tested."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONDA_TO_PYPI = {"h3-py": "h3"}
LINE = re.compile(r"^(?P<lead>\s*-\s+)(?P<name>[A-Za-z0-9_.\-]+)(?P<spec>[<>=!~][^#\s]*)?(?P<tail>\s*(#.*)?)$")


def locked_versions(lock: Path) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", lock.read_text(encoding="utf-8"), re.M)
    return {name.lower().replace("_", "-"): version for name, version in found}


def pin(text: str, versions: dict[str, str]) -> str:
    out = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m and m["name"] not in ("python", "pip"):
            pypi = CONDA_TO_PYPI.get(m["name"], m["name"]).lower().replace("_", "-")
            if pypi in versions:
                line = f"{m['lead']}{m['name']}=={versions[pypi]}{m['tail'] or ''}"
        out.append(line)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    env = REPO / "environment.yml"
    env.write_text(pin(env.read_text(encoding="utf-8"), locked_versions(REPO / "requirements.lock")), encoding="utf-8")
    print("environment.yml pinned to requirements.lock")
