"""The alerts' e-mail: sent through the SMTP server the environment names, or not at all.

Settings come from environment variables only, so that no address or password is kept in the
repository or copied with the store (`migrate`):

    FEEDBACK_SMTP_HOST       the server; without it nothing is sent
    FEEDBACK_SMTP_PORT       25 by default (587 is usual with STARTTLS)
    FEEDBACK_SMTP_FROM       the sender
    FEEDBACK_SMTP_TO         the recipients, separated by commas
    FEEDBACK_SMTP_STARTTLS   1: upgrade the connection with STARTTLS before anything is sent
    FEEDBACK_SMTP_USER       sign in as this user (with FEEDBACK_SMTP_PASSWORD)
    FEEDBACK_SMTP_PASSWORD
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from store.errors import FeedbackError

SMTP_TIMEOUT_SECONDS = 20


class MailError(FeedbackError):
    """The alerts' e-mail could not be sent, or the SMTP settings are incomplete."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    starttls: bool = False
    user: str | None = None
    password: str | None = None  # never shown: see __repr__

    def __repr__(self) -> str:
        return (f"SmtpSettings(host={self.host!r}, port={self.port}, sender={self.sender!r},"
                f" recipients={self.recipients!r}, starttls={self.starttls}, user={self.user!r})")


def smtp_settings(environ=None) -> SmtpSettings | None:
    """The SMTP settings of the environment; None when no server is named."""
    env = os.environ if environ is None else environ
    host = env.get("FEEDBACK_SMTP_HOST", "").strip()
    if not host:
        return None
    port_text = env.get("FEEDBACK_SMTP_PORT", "").strip() or "25"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise MailError(f"FEEDBACK_SMTP_PORT={port_text!r} is not a port number")
    sender = env.get("FEEDBACK_SMTP_FROM", "").strip()
    recipients = tuple(r.strip() for r in env.get("FEEDBACK_SMTP_TO", "").split(",") if r.strip())
    if not sender or not recipients:
        raise MailError("FEEDBACK_SMTP_HOST is set: FEEDBACK_SMTP_FROM and FEEDBACK_SMTP_TO must name the sender"
                        " and the recipients too")
    user = env.get("FEEDBACK_SMTP_USER", "").strip() or None
    return SmtpSettings(host, int(port_text), sender, recipients,
                        env.get("FEEDBACK_SMTP_STARTTLS", "").strip() == "1", user,
                        env.get("FEEDBACK_SMTP_PASSWORD") or None)


def send_mail(settings: SmtpSettings, subject: str, body: str) -> None:
    """One plain-text message to every recipient; any failure as a MailError."""
    # only a configured server sends: every import checks the alerts, and most never mail, so they
    # need not load OpenSSL and the mail modules at start-up (issue 24's whole-process floor)
    import smtplib
    import ssl
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as e:
        raise MailError(f"the alerts could not be sent through {settings.host}:{settings.port} ({e})") from e
