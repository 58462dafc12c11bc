"""The tiny casebook of awkward cases that dossier tests render, and a runner for the CLI.

- ``ZK-T-TAMPER``: sealed, then one evidence file changed; one good label photo plus a corrupt one.
- ``ZK-T-CLEAN``: sealed, one label photo.
- ``ZK-T-HOSTILE``: case data full of ``<script>``, ``<img onerror>``, quotes, newlines and ``{{ }}``;
  no label photos and no evidence files.
- ``ZK-T-BROKEN``: a case.yml that is not YAML (fails on its own; the batch goes on).
- a cases.csv row ``../../etc`` (refused; nothing is written outside the output folder).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# the installed console script, as an officer runs it
CASEBOOK = [str(Path(sys.executable).with_name("casebook"))]
PAYLOAD_SCRIPT = '<script>window.__casebook_pwned=1;alert("script")</script>'
PAYLOAD_IMG = '<img src=x onerror="window.__casebook_pwned=1;alert(\'img\')">'
HOSTILE = {
    "title": f"{PAYLOAD_SCRIPT}销售假冒\"康帅傅\"方便面案",
    "case_no": "周市监处罚〔2024〕{{7*7}}号",
    "organ": "</td></tr></table><script>window.__casebook_pwned=1</script>周口市市场监督管理局",
    "party_name": f"{PAYLOAD_IMG}李'四\"便利店",
    "address": "河南省周口市\n第二行 {{ config }} ${7*7}",
}


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*CASEBOOK, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO)


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def seal(case_dir: Path) -> None:
    from casebook.demo import seal as demo_seal

    demo_seal(case_dir, actor="pytest")


def keep_labels(case_dir: Path, n: int) -> None:
    photos = sorted((case_dir / "labels").iterdir())
    for extra in photos[n:]:
        extra.unlink()


def case_rows(book: Path) -> list[dict]:
    with (book / "cases.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def build_tiny_book(source: Path, target: Path) -> Path:
    rows = case_rows(source)
    target.mkdir(parents=True)
    shutil.copy(source / "baseline.csv", target / "baseline.csv")
    out_rows = []
    plan = [("ZK-T-TAMPER", rows[0]), ("ZK-T-CLEAN", rows[1]), ("ZK-T-HOSTILE", rows[2])]
    for new_id, row in plan:
        src = source / row["case_id"]
        dst = target / new_id
        shutil.copytree(src, dst)
        text = (dst / "case.yml").read_text(encoding="utf-8").replace(row["case_id"], new_id)
        (dst / "case.yml").write_text(text, encoding="utf-8")
        out_rows.append({**row, "case_id": new_id})
    # tamper: one good photo and one corrupt one, sealed, then an evidence file changes
    tamper = target / "ZK-T-TAMPER"
    keep_labels(tamper, 1)
    (tamper / "labels" / "broken_photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    seal(tamper)
    victim = sorted((tamper / "evidence").iterdir())[0]
    victim.write_bytes(victim.read_bytes() + b"tampered")
    # clean: one photo, sealed
    clean = target / "ZK-T-CLEAN"
    keep_labels(clean, 1)
    seal(clean)
    # hostile: no labels, no evidence files, hostile text everywhere
    hostile = target / "ZK-T-HOSTILE"
    shutil.rmtree(hostile / "labels")
    shutil.rmtree(hostile / "evidence")
    (hostile / "evidence").mkdir()
    yml = (hostile / "case.yml").read_text(encoding="utf-8").splitlines()
    replaced, party_done = [], False
    for line in yml:
        key = line.split(":", 1)[0]
        if key == "title":
            line = f"title: {_yaml_quote(HOSTILE['title'])}"
        elif key == "case_no":
            line = f"case_no: {_yaml_quote(HOSTILE['case_no'])}"
        elif key == "organ":
            line = f"organ: {_yaml_quote(HOSTILE['organ'])}"
        elif line.startswith("  name:") and not party_done:  # the party's name, not an investigator's
            line = f"  name: {_yaml_quote(HOSTILE['party_name'])}"
            party_done = True
        elif line.startswith("  address:"):
            line = f"  address: {_yaml_quote(HOSTILE['address'])}"
        replaced.append(line)
    (hostile / "case.yml").write_text("\n".join(replaced) + "\n", encoding="utf-8")
    out_rows[2]["title"] = HOSTILE["title"]
    out_rows[2]["party"] = HOSTILE["party_name"]
    # broken case.yml
    broken = target / "ZK-T-BROKEN"
    broken.mkdir()
    (broken / "case.yml").write_text("case_id: ZK-T-BROKEN\ntitle: [unclosed\n", encoding="utf-8")
    out_rows.append({**rows[0], "case_id": "ZK-T-BROKEN", "title": "broken"})
    out_rows.append({**rows[0], "case_id": "../../etc", "title": "escape attempt"})
    with (target / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out_rows)
    return target
