"""Delivery of the meeting pack: into a shared folder and, optionally, by the office's SMTP server (stdlib smtplib,
STARTTLS or implicit TLS with certificate checks). The password is read only from ``KARNAMA_SMTP_PASSWORD``."""

from __future__ import annotations

import mimetypes
import os
import shutil
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from karnama.core import texts
from karnama.core.settings import Settings


class DeliveryError(Exception):
    """The pack could not be delivered; the message is Persian and names what to fix."""


def recipients(settings: Settings) -> list[str]:
    return [a.strip() for a in (settings.smtp_recipients or "").split(",") if a.strip()]


def copy_to_share(settings: Settings, pack: Path) -> Path | None:
    """Copy the pack into ``pack_dir`` (written under a temporary name, then renamed); None when unset."""
    if not settings.pack_dir:
        return None
    target_dir = Path(settings.pack_dir)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target_dir / f".{pack.name}.tmp"
        shutil.copyfile(pack, tmp)
        os.replace(tmp, target_dir / pack.name)
    except OSError as exc:
        raise DeliveryError(texts.DELIVERY_SHARE_FAILED.format(folder=target_dir, reason=exc.strerror or exc)) from exc
    return target_dir / pack.name


def message(settings: Settings, pack: Path, subject: str, body: str) -> EmailMessage:
    """The e-mail carrying the pack as an attachment (Persian subject and body, UTF-8)."""
    to = recipients(settings)
    if not settings.smtp_sender or not to:
        raise DeliveryError(texts.DELIVERY_NOT_CONFIGURED)
    msg = EmailMessage()
    msg["From"] = settings.smtp_sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.smtp_sender.rpartition("@")[2] or None)
    msg.set_content(body)
    kind, _ = mimetypes.guess_type(pack.name)
    maintype, subtype = (kind or "application/octet-stream").split("/", 1)
    msg.add_attachment(pack.read_bytes(), maintype=maintype, subtype=subtype, filename=pack.name)
    return msg


def send(settings: Settings, pack: Path, subject: str, body: str, timeout: float = 30.0) -> list[str]:
    """Mail the pack through ``smtp_host``; returns the recipients. Raises DeliveryError on any failure."""
    if not settings.smtp_host:
        raise DeliveryError(texts.DELIVERY_NOT_CONFIGURED)
    msg = message(settings, pack, subject, body)
    password = os.environ.get("KARNAMA_SMTP_PASSWORD")
    context = ssl.create_default_context()
    try:
        if settings.smtp_security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
            )
        else:
            server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        with server:
            if settings.smtp_security == "starttls":
                server.starttls(context=context)
            if settings.smtp_user:
                if not password:
                    raise DeliveryError(texts.DELIVERY_NO_PASSWORD)
                server.login(settings.smtp_user, password)
            server.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(texts.DELIVERY_FAILED.format(host=settings.smtp_host, reason=exc)) from exc
    return recipients(settings)
