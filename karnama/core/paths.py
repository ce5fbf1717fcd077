"""Where the product's own files live: the repository root, queries/, static/, the bundled data/."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES_DIR = ROOT / "queries"
ROLLUPS_DIR = QUERIES_DIR / "rollups"
STATIC_DIR = ROOT / "static"
FONTS_DIR = STATIC_DIR / "fonts"
ICON = STATIC_DIR / "icon.png"


def default_data_dir() -> Path:
    """``$KARNAMA_DATA_DIR``, else the bundled ``data/`` (the demo)."""
    env = os.environ.get("KARNAMA_DATA_DIR")
    return Path(env) if env else ROOT / "data"


# The server's entry: Streamlit's own server around app.py with the first-paint splash (serve.py says why).
SERVER_SCRIPT = ROOT / "serve.py"


def server_command(python: str, port: int, address: str = "127.0.0.1", script: Path = SERVER_SCRIPT) -> list[str]:
    """The one command line that serves the dashboard (tests, benchmark and cluster all start it this way);
    ``script`` serves another script the same way (the benchmark's floor page, a test's probe)."""
    return [
        python, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.address", address, "--server.headless", "true",
    ]  # fmt: skip
