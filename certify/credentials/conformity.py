"""A certificate as a W3C Verifiable Credential 2.0, mapped onto the UN Transparency Protocol's
Digital Conformity Credential where its terms correspond (docs/credentials.md: the mapping).

Everything the credential states comes from the certificate's signed record, through ONE
function, `credential_subject`: a field added to the record is added to the credential there.
Terms outside the VC 2.0 context are read under its `@vocab` (no context to fetch).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certify.credentials.statuslist import PURPOSES

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
MEDIA_TYPE = "application/vc"
CREDENTIAL_TYPES = ["VerifiableCredential", "DigitalConformityCredential"]


def _bilingual(text: Mapping[str, str]) -> list[dict[str, str]]:
    """A text in English and Indonesian as JSON-LD language-tagged values."""
    return [{"@value": text["en"], "@language": "en"}, {"@value": text["id"], "@language": "id"}]


def credential_subject(record: Mapping[str, Any], *, verify_url: str) -> dict[str, Any]:
    """What the certificate attests, from its signed record, in UNTP conformity terms."""
    standard, grade = record["standard"], record["grade"]
    issuer_url = str(record["issuer"]["url"]).rstrip("/")
    return {
        "type": ["ConformityAttestation"],
        "id": verify_url,
        "name": f"Certificate {record['certificate_id']}",
        "attestationType": "certification",
        "assessorLevel": "3rdParty",
        "certificateId": record["certificate_id"],
        "serial": record["serial"],
        "issuedToParty": {
            "type": ["Entity"],
            "name": record["holder"]["name"],
            "region": record["holder"]["region"],
        },
        "referenceStandard": {
            "type": ["Standard"],
            "id": f"{issuer_url}/api/v1/standards/{standard['id']}/{standard['version']}",
            "name": _bilingual(standard["title"]),
            "standardVersion": standard["version"],
            "contentHash": standard["content_hash"],
            "issuingParty": {"type": ["Entity"], "name": record["issuer"]["name"]},
        },
        "assessment": [
            {
                "type": ["ConformityAssessment"],
                "assessmentDate": record.get("inspected_on", record["valid_from"]),
                "assessedProduct": [
                    {
                        "type": ["Product"],
                        "name": record["product"]["name"],
                        "productCategory": record["product"]["category"],
                        **_lot(record),
                    }
                ],
                "conformance": True,
                "grade": {"code": grade["id"], "name": _bilingual(grade["title"])},
                "score": record["total"],
                "categoryScores": dict(record["scores"]),
                **_sample_and_evidence(record),
            }
        ],
        "validityPeriod": {"startDate": record["valid_from"], "endDate": record["valid_until"]},
    }


def _lot(record: Mapping[str, Any]) -> dict[str, Any]:
    """The lot a format-2 record certifies (nothing for earlier formats): UNTP `batchNumber`,
    with its quantity and the attributes stated for it."""
    lot = record.get("lot")
    if not isinstance(lot, Mapping):
        return {}
    return {
        "batchNumber": lot.get("code"),
        "batchQuantity": lot["quantity"],
        "characteristics": [
            {"name": _bilingual(a["title"]), "value": _bilingual(a["value"])} for a in record.get("attributes", [])
        ],
    }


def _sample_and_evidence(record: Mapping[str, Any]) -> dict[str, Any]:
    """The sample drawn, the defects found, and every piece of evidence as a UNTP `SecureLink`
    (a SHA-256 digest of the file the decision rested on): nothing for records before format 2."""
    if "evidence" not in record:
        return {}
    evidence = record["evidence"]
    links = [
        {"type": ["SecureLink"], "linkName": f"photo: {p['of']}", "hashDigest": p["sha256"], "hashMethod": "SHA-256"}
        for p in evidence.get("photos", [])
    ] + [
        {
            "type": ["SecureLink"],
            "linkName": f"lab report {r['report_number']}, {r['laboratory']} ({r['accreditation']}), {r['issued_on']}",
            "hashDigest": r["sha256"],
            "hashMethod": "SHA-256",
        }
        for r in evidence.get("lab_reports", [])
    ]
    sample = record.get("sample")
    return {
        "sampleSize": None if sample is None else sample["size"],
        "defectsFound": dict(record["defects"]),
        "auditableEvidence": links,
    }


def status_list_url(public_url: str, purpose: str) -> str:
    return f"{public_url.rstrip('/')}/api/v1/credentials/status/{purpose}"


def unsigned_credential(
    record: Mapping[str, Any],
    *,
    did: str,
    public_url: str,
    verify_url: str,
    status_index: int,
    valid_until: str,
) -> dict[str, Any]:
    """The credential before its proof: issuer `did`, valid from the decision until `valid_until`
    (an RFC 3339 instant), its status in the suspension and the revocation list at `status_index`."""
    return {
        "@context": [VC_CONTEXT],
        "id": f"{public_url.rstrip('/')}/api/v1/certificates/{record['certificate_id']}/credential",
        "type": CREDENTIAL_TYPES,
        "name": f"Certificate {record['certificate_id']}",
        "issuer": {"id": did, "name": record["issuer"]["name"]},
        "validFrom": record["decided_at"],
        "validUntil": valid_until,
        "credentialSubject": credential_subject(record, verify_url=verify_url),
        "credentialStatus": [
            {
                "id": f"{status_list_url(public_url, purpose)}#{status_index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(status_index),
                "statusListCredential": status_list_url(public_url, purpose),
            }
            for purpose in PURPOSES
        ],
    }


def status_list_credential(
    *, did: str, public_url: str, purpose: str, encoded_list: str, valid_from: str
) -> dict[str, Any]:
    """The unsigned `BitstringStatusListCredential` of `purpose`."""
    url = status_list_url(public_url, purpose)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }
