#!/usr/bin/env bash
# Installs the Debian packages casebook needs when they are missing (as root), or prints the
# exact command to run (when not root).  Idempotent: does nothing when all are present.
set -euo pipefail

# fonts-arphic-ukai/-uming and fonts-wqy-*: the label benchmark's hidden set draws labels in 楷体, 明体 and
# 文泉驿 (bench/hidden_labels.py); casebook itself needs only one CJK font (fonts-noto-cjk).
PACKAGES=(tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng fonts-noto-cjk chromium hashdeep poppler-utils openssl coreutils
          fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei fonts-wqy-microhei)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "casebook: these system packages are missing: ${missing[*]}" >&2
  echo "  This is not a Debian/Ubuntu machine: use environment.yml with conda instead (see README)." >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "casebook: these Debian packages are missing: ${missing[*]}" >&2
  echo "  Run this once, then try again:" >&2
  echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "casebook: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
