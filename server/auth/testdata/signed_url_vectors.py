# Reproduces the fixed vectors of signed_url_test.go with Publik's own
# algorithm: sign_query as in w.c.s. wcs/api_utils.py and lingo
# lingo/utils/signature.py (Entr'ouvert, AGPL), orig appended first as
# sign_url_auto_orig does. Run: python3 signed_url_vectors.py
import base64, hashlib, hmac, urllib.parse

def sign_query(query, key, algo, timestamp, nonce):
    new_query = query
    if new_query:
        new_query += '&'
    new_query += urllib.parse.urlencode((('algo', algo), ('timestamp', timestamp), ('nonce', nonce)))
    digest = hmac.HMAC(key.encode(), digestmod=getattr(hashlib, algo), msg=new_query.encode()).digest()
    return new_query + '&signature=' + urllib.parse.quote(base64.b64encode(digest))

for query, key, algo, ts, nonce in [
    ("NameID=abc123&orig=publik.montaigu.fr", "s3cr3t-de-test-publik-0001", "sha256", "2026-12-03T12:00:00Z", "7f3a9c0d5e1b2a4c"),
    ("payer_external_id=F001001&orig=publik.montaigu.fr", "s3cr3t-de-test-publik-0001", "sha512", "2026-12-03T12:00:05Z", "n2"),
    ("orig=combo.example.org", "une clé avec é et =", "sha384", "2026-01-31T23:59:59Z", "abc"),
]:
    print(sign_query(query, key, algo, ts, nonce))
