#!/usr/bin/env bash
# Debian packages the tests need: Chromium for browser tests, poppler for rendering PDFs to images, LibreOffice
# Impress for rendering the deck, PostgreSQL (server binaries under /usr/lib/postgresql/*/bin: the tests start
# their own throwaway server, the system's cluster is not used), nginx for the cluster tests, openssl for a test
# certificate.
# Installs only what is missing; needs root (CI runs as root). Never downloads a browser of its own.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
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
# Debian starts the packaged services on install; the tests run their own, so stop them (never fail on this).
if [[ " ${need[*]} " == *" nginx "* ]]; then service nginx stop >/dev/null 2>&1 || true; fi
if [[ " ${need[*]} " == *" postgresql "* ]]; then service postgresql stop >/dev/null 2>&1 || true; fi
