// panva's `jose` (npm) loads certify's JWKS: every key imports as an EdDSA key, its kid is its
// RFC 7638 thumbprint, and the set resolves each kid for a JWS header. Reads {"jwks": …} on
// standard input; prints {"keys": [{"kid", "thumbprint", "type", "resolved"}]}.
import {readFileSync} from 'node:fs';
import {calculateJwkThumbprint, createLocalJWKSet, importJWK} from 'jose';

const {jwks} = JSON.parse(readFileSync(0, 'utf8'));
const set = createLocalJWKSet(jwks);
const keys = [];
for(const jwk of jwks.keys) {
  const key = await importJWK(jwk, 'EdDSA');
  const resolved = await set({alg: 'EdDSA', kid: jwk.kid});
  keys.push({
    kid: jwk.kid,
    thumbprint: await calculateJwkThumbprint(jwk),
    type: key.asymmetricKeyType ?? key.algorithm?.name,
    resolved: resolved !== undefined
  });
}
console.log(JSON.stringify({keys}));
