// An independent verifier for certify's Verifiable Credentials, made of Digital Bazaar's
// libraries from the npm registry: @digitalbazaar/vc (VC 2.0), @digitalbazaar/data-integrity
// with @digitalbazaar/eddsa-jcs-2022-cryptosuite, and @digitalbazaar/vc-bitstring-status-list.
//
// Reads {"credential": …, "documents": {url: document}} on standard input: `documents` holds
// what a network loader would fetch (the did:web document, the status list credentials), as the
// test fetched them from the service. JSON-LD contexts come from the libraries' own bundles;
// nothing is fetched. Prints {"verified": bool, "status": {purpose: bool}, "valid": bool,
// "errors": […]}.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {securityLoader} from '@digitalbazaar/security-document-loader';

const input = JSON.parse(readFileSync(0, 'utf8'));
const contexts = securityLoader().build();

async function documentLoader(url) {
  if(url.startsWith('did:web:')) {
    const [did, fragment] = url.split('#');
    const document = input.documents[did];
    if(!document) {
      throw new Error(`unknown DID ${did}`);
    }
    if(!fragment) {
      return {contextUrl: null, documentUrl: url, document};
    }
    const method = document.verificationMethod.find(m => m.id === url);
    if(!method) {
      throw new Error(`no verification method ${url}`);
    }
    return {
      contextUrl: null,
      documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}
    };
  }
  if(url in input.documents) {
    return {contextUrl: null, documentUrl: url, document: input.documents[url]};
  }
  return contexts(url);
}

const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
const result = await vc.verifyCredential({
  credential: input.credential,
  suite,
  documentLoader,
  checkStatus: async options => checkStatus({...options, suite})
});
const status = {};
for(const entry of result.statusResult?.results ?? []) {
  status[entry.credentialStatus.statusPurpose] = entry.status;
}
const errors = [];
const collect = error => {
  if(!error) {
    return;
  }
  for(const e of (error.errors ?? [error])) {
    errors.push(String(e.message ?? e));
  }
};
collect(result.error);
for(const r of result.results ?? []) {
  collect(r.error);
}
// `verified` is the proof's and the status lists' own verification; a set bit is the status:
// the credential is in good standing only when it verified and no bit is set.
const valid = result.verified && Object.values(status).length === 2 &&
  !Object.values(status).some(Boolean);
console.log(JSON.stringify({verified: result.verified, status, valid, errors}));
