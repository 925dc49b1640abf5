#!/usr/bin/env bash
# Debian packages the tests and documents need: PostgreSQL, headless Chromium for the browser tests and the
# bulletin render check, CJK fonts so that pages and charts show Chinese text, LibreOffice
# with poppler to open the Word bulletins as pages (and to read .doc/.wps documents and .xls/.et
# spreadsheets on import), bubblewrap to run those conversions in a sandbox (no network, nothing of the disk
# but the system and the conversion's folder: LibreOffice follows the links of a document), pdftotext for the
# tests of text from PDFs, Tesseract with its Simplified Chinese data to read scanned PDFs and photos of a
# list (OCR). nginx, openssl and systemd's tools check the server files of deploy/ (tests/test_deploy.py): the
# portal behind nginx over HTTPS, the units verified.
set -euo pipefail
wanted=(postgresql chromium-headless-shell fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui bubblewrap poppler-utils tesseract-ocr tesseract-ocr-chi-sim nginx openssl systemd)
missing=()
for package in "${wanted[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
