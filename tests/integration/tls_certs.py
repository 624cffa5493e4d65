"""A throwaway certificate authority and server certificates it signs, made with the openssl
command (Debian's `openssl`, installed by scripts/install-deps) in a directory of the
test's. The TLS mail tests' SMTP servers present them; shopd trusts the authority only when
SHOPD_SMTP_CA_FILE names ca_file, as a shop with a private CA would."""
import ssl
import subprocess
from pathlib import Path

# Sections openssl reads with -config / -extfile: no system openssl.cnf is involved.
_CONFIG = """
[req]
distinguished_name = dn
prompt = no
[dn]
CN = {cn}
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = {names}
"""


def _openssl(*args):
    r = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, f"openssl {' '.join(args)}: {r.stderr}"


def _config(directory, name, cn, names="DNS:unused"):
    path = directory / f"{name}.cnf"
    path.write_text(_CONFIG.format(cn=cn, names=names))
    return str(path)


class ThrowawayCa:
    """An authority valid for two days; nothing of it leaves `directory`."""

    def __init__(self, directory, name="shopd test CA"):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ca_file = str(self.dir / "ca.pem")
        self._key = str(self.dir / "ca.key")
        self._serial = 1
        _openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", self._key, "-out", self.ca_file, "-days", "2",
                 "-config", _config(self.dir, "ca", name), "-extensions", "ca")

    def server(self, name="server", names=("DNS:localhost", "IP:127.0.0.1")):
        """(certificate chain file, key file) for a server reached by any of `names`."""
        self._serial += 1
        key, csr, cert = (str(self.dir / f"{name}.{ext}") for ext in ("key", "csr", "pem"))
        config = _config(self.dir, name, name, ", ".join(names))
        _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", key, "-out", csr, "-config", config)
        _openssl("x509", "-req", "-in", csr, "-CA", self.ca_file, "-CAkey", self._key,
                 "-set_serial", str(self._serial), "-days", "2", "-out", cert,
                 "-extfile", config, "-extensions", "server")
        return cert, key

    def server_context(self, name="server", names=("DNS:localhost", "IP:127.0.0.1")):
        """A server-side ssl.SSLContext presenting a fresh certificate for `names`."""
        cert, key = self.server(name, names)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        return ctx
