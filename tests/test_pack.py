"""The meeting pack: four files for the right scope, stamped; delivered to a shared folder and by mail."""

from __future__ import annotations

import email
import email.policy
import io
import shutil
import subprocess
import zipfile

from karnama.cli.main import main
from karnama.core.counties import COUNTIES
from karnama.data.query import Filters
from karnama.data.snapshots import SnapshotStore
from karnama.meeting import pack
from tests.browser import free_port
from tests.test_delivery import _Inbox

NAMES = {c.code: c.name_fa for c in COUNTIES}


def _pdf_text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _copy(demo_dir, tmp_path):
    dest = tmp_path / "data"
    shutil.copytree(demo_dir, dest, ignore=shutil.ignore_patterns("users*", "audit*", "state*", "*.db*"))
    return SnapshotStore(dest)


def test_a_county_accounts_pack_holds_four_files_of_its_counties_only(demo_dir, tmp_path):
    store = _copy(demo_dir, tmp_path)
    snap = store.resolve().snapshot
    scope = frozenset({"NEY", "TRH"})
    made = pack.build(store, snap, Filters(1402), scope, account="ney")
    assert made.name == "karnama-pack-1402-NEY-TRH.zip"
    z = zipfile.ZipFile(io.BytesIO(made.data))
    assert sorted(z.namelist()) == sorted(made.members) and len(made.members) == 4
    assert {m.rsplit("-", 1)[1] for m in made.members} == {"brief.pdf", "deck.pptx", "workbook.xlsx", "agenda.pdf"}
    brief = _pdf_text(z.read("karnama-1402-NEY-TRH-brief.pdf"), tmp_path, "brief.pdf")
    agenda = _pdf_text(z.read("karnama-1402-NEY-TRH-agenda.pdf"), tmp_path, "agenda.pdf")
    others = [n for c, n in NAMES.items() if c not in scope and len(n) > 3]
    for text in (brief, agenda):
        assert "نیشابور" in text
        assert not [n for n in others if n in text], [n for n in others if n in text]
    assert "دستور جلسه" in agenda and "ney" in agenda and "۱۴۰۲" in agenda
    assert "کمبود داده" in agenda and "تصمیم" in agenda
    assert z.comment.decode("utf-8").startswith("جمع")  # «جمع شهرستان‌های حساب (…)»: the stamp, not the province


def test_the_province_pack_names_the_lagging_counties_and_the_gaps(demo_dir, tmp_path):
    store = _copy(demo_dir, tmp_path)
    snap = store.resolve().snapshot
    a = pack.agenda(store, snap, Filters(1402))
    titles = [s.title for s in a.sections]
    assert len(titles) == 5
    laggards = a.sections[1].lines
    assert laggards and all(line in NAMES.values() for line in laggards)
    assert a.stamp[0].startswith("کل استان")


def test_pack_command_writes_and_delivers(demo_dir, tmp_path, capsys):
    store = _copy(demo_dir, tmp_path)
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        (store.root / "settings.toml").write_text(
            f'pack_dir = "{tmp_path / "share"}"\nsmtp_host = "127.0.0.1"\nsmtp_port = {controller.port}\n'
            'smtp_security = "none"\nsmtp_sender = "karnama@example.org"\nsmtp_recipients = "deputy@example.org"\n',
            encoding="utf-8",
        )
        out = tmp_path / "out"
        out.mkdir()
        code = main(
            ["pack", "--data-dir", str(store.root), "--year", "1402", "--county", "NEY", "--out", str(out), "--deliver"]
        )
        assert code == 0
    finally:
        controller.stop()
    written = out / "karnama-pack-1402-NEY.zip"
    assert written.is_file() and (tmp_path / "share" / written.name).read_bytes() == written.read_bytes()
    [(rcpts, raw)] = inbox.messages
    assert rcpts == ["deputy@example.org"]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert "نیشابور" in msg["Subject"]
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == written.name and attachment.get_content() == written.read_bytes()
    assert len(zipfile.ZipFile(io.BytesIO(attachment.get_content())).namelist()) == 4
