"""Section 12, e-mail over TLS: a real SMTP server on loopback (smtp_sink.py) that requires
STARTTLS, and one that speaks TLS from the start (smtps://), each with a certificate from a
throwaway authority (tls_certs.py) that shopd trusts through SHOPD_SMTP_CA_FILE. Without that
file, or for a certificate of another name, the certificate is refused: nothing is sent, the
mail stays queued and the shop keeps serving. SHOPD_SMTP_STARTTLS=required sends nothing to
a server that offers no STARTTLS; a bad TLS setting stops start-up."""
import pytest

from shopd import new_customer, run_cli
from smtp_sink import SmtpSink, mail_env
from test_mail import failures_logged, wait_until
from tls_certs import ThrowawayCa

RESET = "/api/v1/auth/password-reset"


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return ThrowawayCa(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def sinks():
    started = []

    def make(**kw):
        s = SmtpSink(**kw).start()
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()


def started_line(server):
    lines = [line for line in server.log_lines() if line.get("msg", "").startswith("mail: sending through")]
    assert len(lines) == 1, server.log_text()
    return lines[0]


def ask_for_reset(server):
    _, _, email, _ = new_customer(server)
    assert server.post(RESET, {"email": email}).status == 202
    return email


def test_starttls_upgrades_before_signing_in_and_sending(make_server, sinks, ca):
    sink = sinks(starttls=ca.server_context(), credentials=("mailer", "s3cret-pw"))
    url = f"smtp://mailer:s3cret-pw@127.0.0.1:{sink.port}"
    server = make_server(env=mail_env(sink, SHOPD_SMTP_URL=url, SHOPD_SMTP_CA_FILE=ca.ca_file))
    line = started_line(server)
    assert line["msg"] == (f"mail: sending through smtp://127.0.0.1:{sink.port} as shop@shop.test "
                           f"(STARTTLS when offered, trusting the certificates in {ca.ca_file})")
    email = ask_for_reset(server)
    mail = sink.wait_for(lambda m: m.to == email)
    assert mail.subject == "Reset your password"
    assert mail.tls_version in ("TLSv1.2", "TLSv1.3")
    assert "s3cret-pw" not in server.log_text()


def test_starttls_required_is_met_by_a_server_that_offers_it(make_server, sinks, ca):
    sink = sinks(starttls=ca.server_context())
    server = make_server(env=mail_env(sink, SHOPD_SMTP_CA_FILE=ca.ca_file, SHOPD_SMTP_STARTTLS="required"))
    assert "(STARTTLS required," in started_line(server)["msg"]
    email = ask_for_reset(server)
    assert sink.wait_for(lambda m: m.to == email).tls_version in ("TLSv1.2", "TLSv1.3")


def test_smtps_speaks_tls_from_the_start_to_the_name_in_the_certificate(make_server, sinks, ca):
    sink = sinks(implicit_tls=ca.server_context(), host="localhost")
    assert sink.url.startswith("smtps://localhost:")
    server = make_server(env=mail_env(sink, SHOPD_SMTP_CA_FILE=ca.ca_file))
    line = started_line(server)
    assert line["level"] == "info" and "(TLS from the start," in line["msg"]
    email = ask_for_reset(server)
    mail = sink.wait_for(lambda m: m.to == email)
    assert mail.subject == "Reset your password" and mail.tls_version in ("TLSv1.2", "TLSv1.3")


@pytest.mark.parametrize("kind", ["starttls", "implicit_tls"])
def test_an_untrusted_certificate_sends_nothing_and_the_mail_waits_until_it_is_trusted(make_server, sinks, ca,
                                                                                       kind):
    sink = sinks(**{kind: ca.server_context()})
    # No SHOPD_SMTP_CA_FILE: the system's authorities, which never signed the test's.
    server = make_server(env=mail_env(sink))
    email = ask_for_reset(server)
    wait_until(lambda: len(failures_logged(server)) >= 2, "two refused attempts logged")
    assert all("(SSL peer certificate or SSH remote key was not OK: SSL certificate problem: unable to get local "
               "issuer certificate)" in msg for msg in failures_logged(server)), failures_logged(server)
    assert sink.received() == [] and sink.attempts == 0
    # The shop keeps serving while its mail waits.
    assert server.get("/healthz").status == 200
    assert new_customer(server)[2]

    # Still queued: once the authority is trusted, the same mail leaves.
    server.stop()
    server.env["SHOPD_SMTP_CA_FILE"] = ca.ca_file
    server.start()
    mail = sink.wait_for(lambda m: m.to == email)
    assert mail.subject == "Reset your password" and mail.tls_version
    assert len(sink.mails_to(email)) == 1


def test_a_certificate_for_another_name_is_refused_though_its_authority_is_trusted(make_server, sinks, ca):
    sink = sinks(starttls=ca.server_context("other", names=("DNS:mail.other.test",)))
    server = make_server(env=mail_env(sink, SHOPD_SMTP_CA_FILE=ca.ca_file))
    ask_for_reset(server)
    wait_until(lambda: len(failures_logged(server)) >= 1, "a refused attempt logged")
    assert "no alternative certificate subject name matches target host name '127.0.0.1'" in \
        failures_logged(server)[0], failures_logged(server)
    assert sink.received() == [] and sink.attempts == 0


def test_starttls_required_sends_nothing_to_a_server_without_it(make_server, sinks):
    sink = sinks()  # plain text only, offers no STARTTLS
    server = make_server(env=mail_env(sink, SHOPD_SMTP_STARTTLS="required"))
    assert "(STARTTLS required)" in started_line(server)["msg"]
    ask_for_reset(server)
    wait_until(lambda: len(failures_logged(server)) >= 2, "two refused attempts logged")
    assert all("(Requested SSL level failed: STARTTLS not supported.)" in msg for msg in failures_logged(server)), \
        failures_logged(server)
    assert sink.received() == [] and sink.attempts == 0
    assert server.get("/healthz").status == 200


def test_starttls_off_sends_in_plain_text_and_says_so_at_start_up(make_server, sinks):
    sink = sinks()
    server = make_server(env=mail_env(sink, SHOPD_SMTP_STARTTLS="off"))
    line = started_line(server)
    assert line["level"] == "warn" and "(plain text, no STARTTLS)" in line["msg"]
    email = ask_for_reset(server)
    assert sink.wait_for(lambda m: m.to == email).tls_version is None


@pytest.mark.parametrize("extra, named", [
    ({"SHOPD_SMTP_CA_FILE": "/nonexistent/ca.pem"}, "SHOPD_SMTP_CA_FILE"),
    ({"SHOPD_SMTP_CA_FILE": "NOT_PEM"}, "SHOPD_SMTP_CA_FILE"),
    ({"SHOPD_SMTP_CA_FILE": "DIR"}, "SHOPD_SMTP_CA_FILE"),
    ({"SHOPD_SMTP_STARTTLS": "yes"}, "SHOPD_SMTP_STARTTLS"),
    ({"SHOPD_SMTP_STARTTLS": "off", "SHOPD_SMTP_URL": "smtps://127.0.0.1:465"}, "SHOPD_SMTP_STARTTLS"),
])
def test_a_bad_tls_setting_stops_start_up_with_one_line_naming_it(tmp_path, extra, named):
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("just text\n")
    extra = {k: {"NOT_PEM": str(not_pem), "DIR": str(tmp_path)}.get(v, v) for k, v in extra.items()}
    env = dict({"SHOPD_SMTP_URL": "smtp://127.0.0.1:25", "SHOPD_MAIL_FROM": "a@shop.test"}, **extra)
    r = run_cli(["serve", "--port", "0", "--db", str(tmp_path / "x.db")], env=env)
    assert r.returncode == 2, r
    assert named in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
