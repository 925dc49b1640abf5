#!/usr/bin/env bash
# Debian packages the tests and documents need: PostgreSQL, Chromium for the browser tests and the
# bulletin render check, CJK fonts so that pages and charts show Chinese text, and LibreOffice
# with poppler to open the Word bulletins as pages.
set -euo pipefail
wanted=(postgresql chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils)
missing=()
for package in "${wanted[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
