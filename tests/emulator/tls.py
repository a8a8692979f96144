"""TLS material for the emulator: a throw-away CA and a server certificate it signs.

Generated at every start so no key ever lives in the repository.  Tests and modules run with
``validate_certs: true`` and ``ca_path: <state-dir>/ca.pem``, which exercises the same certificate
checks as against the real vendor.  EC P-256 keys make generation take milliseconds.
"""

import datetime
import ipaddress
import os
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Every name the emulator is reached by: the API host (127.0.0.1) and the download host (localhost).
SERVER_DNS_NAMES = ('localhost',)
SERVER_IPS = ('127.0.0.1', '::1')


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'saasops.backup emulator'),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_usage(cert_sign):
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
                         crl_sign=cert_sign, encipher_only=False, decipher_only=False)


def _builder(subject, issuer, public_key):
    # Backdated by an hour so a client clock slightly behind ours still accepts the certificate.
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def _make_ca():
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name('saasops.backup emulator CA')
    cert = (_builder(name, name, key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _make_server(ca_key, ca_cert):
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(n) for n in SERVER_DNS_NAMES] + [x509.IPAddress(ipaddress.ip_address(i)) for i in SERVER_IPS]
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (_builder(_name('localhost'), ca_cert.subject, key.public_key())
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _write(path, data, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, 'wb') as handle:
        handle.write(data)


def generate(state_dir):
    """Write ca.pem, server.pem and server.key into ``state_dir``; return their absolute paths."""
    state_dir = os.path.abspath(state_dir)
    ca_key, ca_cert = _make_ca()
    key, cert = _make_server(ca_key, ca_cert)
    paths = {name: os.path.join(state_dir, name) for name in ('ca.pem', 'server.pem', 'server.key')}
    _write(paths['ca.pem'], ca_cert.public_bytes(serialization.Encoding.PEM))
    _write(paths['server.pem'], cert.public_bytes(serialization.Encoding.PEM))
    _write(paths['server.key'], key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()), 0o600)
    return paths


def server_context(paths):
    """Server-side SSLContext for the generated certificate (TLS 1.2+, HTTP/1.1 via ALPN)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(paths['server.pem'], paths['server.key'])
    context.set_alpn_protocols(['http/1.1'])
    return context
