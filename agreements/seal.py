"""The organisation's PAdES seal on signed PDFs (pyHanko): apply it, and check a PDF someone uploads.

The certificate and key come from settings. Without configured files a self-signed pair is generated once in var/
(development, demo and tests); keys are never committed.
"""

from __future__ import annotations

import datetime
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SEAL_FIELD = "LiaisonSeal"
_lock = threading.Lock()


def _ensure_certificate() -> tuple[Path, Path]:
    cert_path = Path(settings.AGREEMENTS_SEAL_CERT_FILE)
    key_path = Path(settings.AGREEMENTS_SEAL_KEY_FILE)
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    if not settings.AGREEMENTS_SEAL_GENERATE:
        raise RuntimeError("The seal certificate or key named in the settings is missing.")
    with _lock:
        if not (cert_path.exists() and key_path.exists()):
            _generate_self_signed(cert_path, key_path)
    return cert_path, key_path


def _generate_self_signed(cert_path: Path, key_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Liaison (self-signed development seal)"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Liaison agreements seal"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_tmp = key_path.with_suffix(".tmp")
    key_tmp.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_tmp.chmod(0o600)
    key_tmp.replace(key_path)
    cert_tmp = cert_path.with_suffix(".tmp")
    cert_tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    cert_tmp.replace(cert_path)


def _signer():
    from pyhanko.sign import signers

    cert_path, key_path = _ensure_certificate()
    return signers.SimpleSigner.load(str(key_path), str(cert_path))


def _trust_root():
    from pyhanko.keys import load_cert_from_pemder

    cert_path, _ = _ensure_certificate()
    return load_cert_from_pemder(str(cert_path))


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko calls asyncio.run itself: under a running loop (ASGI, a browser test) run it in a worker thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """Apply the organisation's PAdES B-B seal; `reason` names the record (the verify page reads it back)."""
    return _outside_event_loop(_seal_pdf, pdf, reason=reason)


def _seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        location="Liaison",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(writer, meta, signer=_signer())
    return out.getvalue()


@dataclass(frozen=True)
class SealCheck:
    intact: bool
    trusted: bool
    reason: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and not self.problem


def seal_check(pdf: bytes) -> SealCheck:
    """Whether `pdf` carries our seal, unaltered since sealing; anything unreadable counts as not intact."""
    return _outside_event_loop(_seal_check, pdf)


def _seal_check(pdf: bytes) -> SealCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        seals = [sig for sig in reader.embedded_signatures if sig.field_name == SEAL_FIELD]
        if not seals:
            return SealCheck(intact=False, trusted=False, problem="The file carries no Liaison seal.")
        seal = seals[-1]
        status = validate_pdf_signature(seal, ValidationContext(trust_roots=[_trust_root()]))
        reason = str(seal.sig_object.get("/Reason", ""))
        # The seal must cover the whole file: anything appended after sealing is a change too.
        covers_all = seal.coverage is not None and seal.coverage.name in {"ENTIRE_FILE"}
    except Exception as error:  # a damaged file fails in many ways inside the parser
        return SealCheck(intact=False, trusted=False, problem=f"The file could not be read as a sealed PDF ({error}).")
    problem = "" if covers_all else "The file was changed after it was sealed."
    return SealCheck(
        intact=bool(status.intact and status.valid), trusted=bool(status.trusted), reason=reason, problem=problem
    )
