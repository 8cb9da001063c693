"""pbadmin's client signs sichuan requests exactly as the contract says: fixed vectors computed by hand.

The signatures below were computed from docs/gateway-contract.md ("sichuan: request signing") with
hashlib and hmac directly, and checked with ``openssl dgst -sha256 -hmac``; they are literals, never
recomputed here. Changing the order of the signed fields, the hash, the encoding or which path is
signed makes these tests fail (and the sandbox refuse the client: tests/sync/test_profiles.py).
"""

from __future__ import annotations

from pbadmin.sync.auth import sichuan_headers, sichuan_signature

SECRET = "s3cr3t-of-xindu"
TIMESTAMP = 1717200000
BODY = (
    b'{"dataSet":"PB_YEARLY","period":"2021","orgUnit":"510114-WJ","completeDate":"2022-01-05",'
    b'"dataValues":[{"dataElement":"XD_COMPREHENSIVE_COMMITTEES","value":"3"}]}'
)


def test_the_signature_of_a_get_with_an_empty_body_is_the_hand_computed_one():
    signature = sichuan_signature(SECRET, "GET", "/sichuan/api/dataElements", str(TIMESTAMP), "nonce-0001", b"")
    assert signature == "13fc89d1271e0ffbb6b26ac27e45a7abf6823f2b3fcbc8d82ec6468c74796e0e"


def test_the_signature_of_a_push_covers_the_sha256_of_its_body():
    signature = sichuan_signature(SECRET, "POST", "/sichuan/api/dataValueSets", str(TIMESTAMP), "nonce-0002", BODY)
    assert signature == "1b0f09a51564883d08e79f9ab74b13c346a3ea96cb748f4faefa63fc8a515fab"


def test_the_headers_sign_the_path_without_host_or_query_and_the_method_in_capitals():
    url = "https://gateway.sichuan.example/sichuan/api/dataValueSets?dryRun=false"
    headers = sichuan_headers("pb-xindu-vector", SECRET, "post", url, BODY, timestamp=TIMESTAMP, nonce="nonce-0002")
    assert headers == {
        "X-PB-AppId": "pb-xindu-vector",
        "X-PB-Timestamp": "1717200000",
        "X-PB-Nonce": "nonce-0002",
        "X-PB-Signature": "1b0f09a51564883d08e79f9ab74b13c346a3ea96cb748f4faefa63fc8a515fab",
    }


def test_every_attempt_gets_a_fresh_nonce_and_the_current_time():
    first = sichuan_headers("app", SECRET, "GET", "http://x/sichuan/api/dataElements", b"")
    second = sichuan_headers("app", SECRET, "GET", "http://x/sichuan/api/dataElements", b"")
    assert first["X-PB-Nonce"] != second["X-PB-Nonce"] and first["X-PB-Signature"] != second["X-PB-Signature"]
    assert int(first["X-PB-Timestamp"]) > TIMESTAMP
