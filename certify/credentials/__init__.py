"""W3C Verifiable Credentials 2.0 for certificates: a `did:web` issuer, Data Integrity proofs
(`eddsa-jcs-2022`: Ed25519 over RFC 8785 JSON) and Bitstring Status Lists.

- `multibase`: base58btc, Ed25519 Multikeys
- `integrity`: add and check an `eddsa-jcs-2022` proof
- `did`: the service's `did:web` identifier and DID document (from the JWKS)
- `statuslist`: the suspension and revocation bitstrings
- `conformity`: a certificate's signed record as a credential (the UNTP mapping, docs/credentials.md)
"""
