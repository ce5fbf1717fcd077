"""Delivering the meeting pack: a shared folder, and mail through an SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import zipfile

import pytest
from aiosmtpd.controller import Controller

from karnama.core import settings as settings_mod
from karnama.core.settings import Settings
from karnama.meeting import delivery
from tests.browser import free_port


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "karnama-pack-1402-NEY.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("brief.pdf", b"%PDF-1.7 test")
    return path


def test_the_pack_arrives_by_mail_with_its_attachment(smtp_server, pack, tmp_path):
    controller, inbox = smtp_server
    s = Settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        smtp_security="none",
        smtp_sender="karnama@example.org",
        smtp_recipients="deputy@example.org, office@example.org",
    )
    sent = delivery.send(s, pack, "بستهٔ جلسهٔ ماهانه — ۱۴۰۲", "بستهٔ این ماه پیوست است.")
    assert sent == ["deputy@example.org", "office@example.org"]
    assert len(inbox.messages) == 1
    rcpts, raw = inbox.messages[0]
    assert rcpts == sent
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == "بستهٔ جلسهٔ ماهانه — ۱۴۰۲" and msg["From"] == "karnama@example.org"
    assert msg.get_body(("plain",)).get_content().strip() == "بستهٔ این ماه پیوست است."
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == pack.name
    assert attachment.get_content() == pack.read_bytes()


def test_mail_refuses_clearly_when_not_configured_or_unreachable(pack, tmp_path, monkeypatch):
    with pytest.raises(delivery.DeliveryError, match="تنظیم نشده"):
        delivery.send(Settings(tmp_path), pack, "x", "y")
    s = Settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_security="none",
        smtp_sender="k@example.org",
        smtp_recipients="d@example.org",
    )
    with pytest.raises(delivery.DeliveryError, match="127.0.0.1"):
        delivery.send(s, pack, "x", "y", timeout=3)
    monkeypatch.delenv("KARNAMA_SMTP_PASSWORD", raising=False)
    s = Settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_security="none",
        smtp_sender="k@example.org",
        smtp_recipients="d@example.org",
        smtp_user="karnama",
    )
    with pytest.raises(delivery.DeliveryError):
        delivery.send(s, pack, "x", "y", timeout=3)


def test_the_pack_is_copied_into_the_shared_folder(pack, tmp_path):
    share = tmp_path / "share" / "karnama"
    out = delivery.copy_to_share(Settings(tmp_path, pack_dir=str(share)), pack)
    assert out == share / pack.name and out.read_bytes() == pack.read_bytes()
    assert not list(share.glob(".*.tmp"))
    assert delivery.copy_to_share(Settings(tmp_path), pack) is None


def test_smtp_settings_are_validated(tmp_path):
    (tmp_path / "settings.toml").write_text('smtp_security = "tls-please"\nsmtp_port = 2525\n', encoding="utf-8")
    s = settings_mod.load(tmp_path)
    assert s.smtp_security == "starttls" and s.smtp_port == 2525 and s.problems
