#!/usr/bin/env bash
# Debian packages the tests need: Chromium for browser tests, poppler for rendering PDFs to images, LibreOffice
# Impress for rendering the deck.
# Installs only what is missing; needs root (CI runs as root). Never downloads a browser of its own.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# LibreOffice Impress renders the PowerPoint deck to pictures in tests/test_presentation_fit.py.
command -v libreoffice >/dev/null 2>&1 || need+=(libreoffice-impress)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${need[*]} (run: sudo apt-get install -y ${need[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
