"""A real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd) that keeps every message it
accepts, parsed. It can be told to answer errors instead, or be stopped and started again
on the same port, to show that shopd retries. It speaks plain text, or offers and requires
STARTTLS, or speaks TLS from the start (certificates from tls_certs.py)."""
import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Mail:
    def __init__(self, envelope, tls_version=None):
        self.tls_version = tls_version  # "TLSv1.3" when the mail came over TLS, else None
        self.mail_from = envelope.mail_from
        self.rcpt_tos = list(envelope.rcpt_tos)
        self.raw = envelope.original_content or envelope.content
        self.message = email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def to(self):
        return self.rcpt_tos[0]

    @property
    def subject(self):
        return str(self.message["Subject"])

    def part(self, subtype):
        """The decoded text of the text/<subtype> part, with plain newlines."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_type() == f"text/{subtype}", self.message
        return body.get_content().replace("\r\n", "\n")

    @property
    def text(self):
        return self.part("plain")

    @property
    def html(self):
        return self.part("html")

    def __repr__(self):
        return f"<Mail to={self.rcpt_tos} subject={self.subject!r}>"


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.attempts += 1
            if self.sink.reply:
                return self.sink.reply
            tls = server.transport.get_extra_info("ssl_object")
            self.sink.mails.append(Mail(envelope, tls.version() if tls else None))
        return "250 2.0.0 OK"


class SmtpSink:
    def __init__(self, port=None, credentials=None, starttls=None, implicit_tls=None, host="127.0.0.1"):
        """credentials: (user, password) the server then requires (AUTH PLAIN/LOGIN; only after
        STARTTLS when it offers that). starttls: a server ssl.SSLContext; the server then
        offers STARTTLS and takes no mail without it. implicit_tls: a server ssl.SSLContext it
        speaks from the first byte (an smtps:// URL). host: the name the URL gives."""
        assert not (starttls and implicit_tls)
        self.port = port or free_port()
        self.credentials = credentials
        self.starttls = starttls
        self.implicit_tls = implicit_tls
        self.host = host
        self.lock = threading.Lock()
        self.mails = []
        self.attempts = 0  # DATA commands seen, accepted or not
        self.reply = None  # e.g. "451 4.3.0 try later": answered to DATA instead of accepting
        self.controller = None

    @property
    def url(self):
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{self.host}:{self.port}"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        user, password = self.credentials
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok)

    def start(self):
        kwargs = {}
        if self.credentials:
            # aiosmtpd counts only STARTTLS as TLS here; an smtps:// connection is TLS anyway.
            kwargs = {"auth_required": True, "auth_require_tls": bool(self.starttls),
                      "authenticator": self._authenticate}
        if self.starttls:
            kwargs.update(tls_context=self.starttls, require_starttls=True)
        if self.implicit_tls:
            kwargs.update(ssl_context=self.implicit_tls)
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def fail_with(self, reply):
        with self.lock:
            self.reply = reply

    def accept(self):
        with self.lock:
            self.reply = None

    def received(self):
        with self.lock:
            return list(self.mails)

    def wait_for(self, match, timeout=15):
        """The first mail match(mail) is true of; fails the test after `timeout` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in self.received():
                if match(m):
                    return m
            time.sleep(0.05)
        raise AssertionError(f"no such mail within {timeout}s; received: {self.received()}")

    def mails_to(self, address):
        return [m for m in self.received() if address in m.rcpt_tos]


def mail_env(sink, **extra):
    """Environment for a shopd that sends through the sink, retrying quickly."""
    env = {"SHOPD_SMTP_URL": sink.url, "SHOPD_MAIL_FROM": "Test Shop <shop@shop.test>",
           "SHOPD_MAIL_RETRY_BASE_MS": "300"}
    env.update(extra)
    return env
