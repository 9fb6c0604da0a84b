/**
 * A software WebAuthn "platform authenticator" for tests.
 *
 * It plays the part of both the browser (building `clientDataJSON`, base64url-encoding the
 * result into the JSON shapes that `@simplewebauthn/browser` hands to a server) and the
 * authenticator (building authenticator data, holding ES256 key pairs, signing assertions), so
 * tests can drive the server's real WebAuthn verification without a browser.
 *
 * What it produces:
 * - registration: attestation format "none", an ES256 (P-256) credential, flags UP|UV|AT,
 *   sign counter 0, transports ['internal'], authenticatorAttachment 'platform';
 * - authentication: an ES256 signature (DER-encoded, as WebAuthn requires) over
 *   `authenticatorData || SHA-256(clientDataJSON)`, sign counter incremented on every assertion.
 *
 * It is deliberately small and is NOT a conforming authenticator: no extensions, no attestation
 * certificates, no user interaction, no backup flags.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

export interface SoftAuthenticatorOptions {
  /** The origin the pretend browser is on, e.g. 'http://localhost:3000'. Goes into clientDataJSON. */
  origin: string;
  /** Whether the authenticator reports user verification (the UV flag). Defaults to true. */
  userVerification?: boolean;
}

/**
 * Knobs to forge a bad assertion. Each one replaces what an honest authenticator/browser would
 * have put in the response; everything else stays genuine.
 */
export interface SoftAssertionOverrides {
  /** base64url challenge to put in clientDataJSON instead of `options.challenge`. */
  challenge?: string;
  /** Origin to put in clientDataJSON instead of the authenticator's origin. */
  origin?: string;
  /** Value of the UV flag for this assertion instead of the constructor's `userVerification`. */
  userVerified?: boolean;
  /** RP ID whose SHA-256 goes into authenticator data instead of `options.rpId`. */
  rpId?: string;
  /**
   * Sign counter to put into authenticator data. A forged counter does not advance the
   * authenticator's own counter.
   */
  counter?: number;
  /**
   * base64url credential id to report in `id`/`rawId` instead of the signing credential's id
   * (e.g. to claim someone else's credential). The signature is still made with this
   * authenticator's own key: a credential listed in `allowCredentials` if it holds one,
   * otherwise its most recently registered credential.
   */
  credentialId?: string;
}

/** A credential the authenticator holds. */
interface StoredCredential {
  /** Raw credential id bytes (what `rawId` encodes). */
  id: Buffer;
  /** base64url of `id`. */
  idB64: string;
  privateKey: KeyObject;
  rpId: string;
  /** user.id from the registration options, as given (already base64url). Becomes `userHandle`. */
  userHandle: string;
  /** Last sign counter used. */
  counter: number;
}

/** COSE algorithm identifier for ES256 (ECDSA w/ SHA-256 on P-256). */
const COSE_ALG_ES256 = -7;

/** Authenticator data flag bits (WebAuthn §6.1). */
const FLAG_UP = 0x01; // user present
const FLAG_UV = 0x04; // user verified
const FLAG_AT = 0x40; // attested credential data included

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array): string => Buffer.from(data).toString('base64url');

export class SoftAuthenticator {
  private readonly origin: string;
  private readonly userVerification: boolean;
  /** Credentials in registration order (the last one is "the" credential). */
  private readonly credentials: StoredCredential[] = [];

  constructor(opts: SoftAuthenticatorOptions) {
    this.origin = opts.origin;
    this.userVerification = opts.userVerification ?? true;
  }

  /** base64url id of the most recently registered credential, undefined before `register`. */
  get credentialId(): string | undefined {
    return this.credentials.at(-1)?.idB64;
  }

  /**
   * Answers registration options (as from `generateRegistrationOptions`) the way
   * `startRegistration()` in the browser would, creating and keeping a new ES256 credential.
   */
  register(options: PublicKeyCredentialCreationOptionsJSON): RegistrationResponseJSON {
    if (!options.pubKeyCredParams.some((p) => p.type === 'public-key' && p.alg === COSE_ALG_ES256)) {
      throw new Error('SoftAuthenticator: the relying party does not accept ES256 (-7) credentials');
    }
    // A real authenticator refuses to register again for an RP it already holds an excluded credential for.
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.credentials.some((c) => excluded.has(c.idB64))) {
      throw new Error('SoftAuthenticator: InvalidStateError (a credential in excludeCredentials is already registered)');
    }

    const rpId = options.rp.id ?? this.defaultRpId();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credential: StoredCredential = {
      id: randomBytes(32),
      idB64: '',
      privateKey,
      rpId,
      userHandle: options.user.id,
      counter: 0,
    };
    credential.idB64 = b64url(credential.id);

    // Credential public key as a COSE_Key (RFC 9052 / WebAuthn §6.5.1.1). It must be a CBOR map
    // with integer keys, so use a Map (a plain object would get string keys).
    const jwk = publicKey.export({ format: 'jwk' });
    const cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, COSE_ALG_ES256], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')], // x coordinate (32 bytes)
        [-3, Buffer.from(jwk.y!, 'base64url')], // y coordinate (32 bytes)
      ]),
    );

    // Attested credential data (WebAuthn §6.5.1):
    //   aaguid (16) | credentialIdLength (2, big-endian) | credentialId | credentialPublicKey (COSE)
    // An all-zero AAGUID is what authenticators send with "none" attestation.
    const credIdLength = Buffer.alloc(2);
    credIdLength.writeUInt16BE(credential.id.length);
    const attestedCredentialData = Buffer.concat([Buffer.alloc(16), credIdLength, credential.id, cosePublicKey]);

    let flags = FLAG_UP | FLAG_AT;
    if (this.userVerification) flags |= FLAG_UV;
    const authenticatorData = Buffer.concat([
      this.authDataHeader(rpId, flags, credential.counter),
      attestedCredentialData,
    ]);

    // Attestation object (WebAuthn §6.5.4): CBOR map { fmt, attStmt, authData }; "none" has an empty attStmt.
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, never>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, never>()],
        ['authData', authenticatorData],
      ]),
    );

    const clientDataJSON = this.clientDataJSON('webauthn.create', options.challenge, this.origin);
    this.credentials.push(credential);

    return {
      id: credential.idB64,
      rawId: credential.idB64,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        // The convenience fields browsers add to the JSON form (getAuthenticatorData() etc.).
        authenticatorData: b64url(authenticatorData),
        transports: ['internal'],
        publicKeyAlgorithm: COSE_ALG_ES256,
        publicKey: b64url(publicKey.export({ format: 'der', type: 'spki' })),
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /**
   * Answers authentication options (as from `generateAuthenticationOptions`) the way
   * `startAuthentication()` in the browser would, signing with a credential listed in
   * `allowCredentials` (or, when that list is empty/absent, a discoverable credential for the RP).
   * `overrides` forge parts of the response; see {@link SoftAssertionOverrides}.
   */
  assert(options: PublicKeyCredentialRequestOptionsJSON, overrides: SoftAssertionOverrides = {}): AuthenticationResponseJSON {
    const rpId = options.rpId ?? this.defaultRpId();
    const credential = this.pickCredential(options, rpId, overrides.credentialId !== undefined);

    let counter: number;
    if (overrides.counter !== undefined) {
      counter = overrides.counter;
    } else {
      credential.counter += 1;
      counter = credential.counter;
    }

    let flags = FLAG_UP;
    if (overrides.userVerified ?? this.userVerification) flags |= FLAG_UV;
    // Assertions carry no attested credential data: the header alone is the authenticator data.
    const authenticatorData = this.authDataHeader(overrides.rpId ?? rpId, flags, counter);

    const clientDataJSON = this.clientDataJSON(
      'webauthn.get',
      overrides.challenge ?? options.challenge,
      overrides.origin ?? this.origin,
    );

    // WebAuthn §6.3.3 step 11: sign authenticatorData || SHA-256(clientDataJSON). For ES256 the
    // signature is ECDSA P-256 with SHA-256, ASN.1 DER-encoded (not the raw r||s form).
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), {
      key: credential.privateKey,
      dsaEncoding: 'der',
    });

    const id = overrides.credentialId ?? credential.idB64;
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    };
  }

  /**
   * Chooses the signing credential: one named in allowCredentials; with an empty/absent list,
   * the latest credential for the RP (discoverable-credential flow). When forging the reported id
   * (`fallbackToLatest`), falls back to the latest credential if none is allowed.
   */
  private pickCredential(
    options: PublicKeyCredentialRequestOptionsJSON,
    rpId: string,
    fallbackToLatest: boolean,
  ): StoredCredential {
    const allowed = options.allowCredentials ?? [];
    const latest = (list: StoredCredential[]) => list.at(-1);
    const found =
      allowed.length > 0
        ? latest(this.credentials.filter((c) => allowed.some((a) => a.id === c.idB64)))
        : latest(this.credentials.filter((c) => c.rpId === rpId));
    const credential = found ?? (fallbackToLatest ? latest(this.credentials) : undefined);
    if (!credential) {
      throw new Error(
        allowed.length > 0
          ? `SoftAuthenticator: none of its credentials is in allowCredentials (${allowed.map((a) => a.id).join(', ')})`
          : `SoftAuthenticator: no credential registered for RP "${rpId}"`,
      );
    }
    return credential;
  }

  /**
   * The fixed 37-byte start of authenticator data (WebAuthn §6.1):
   *   rpIdHash (32, SHA-256 of the RP ID) | flags (1) | signCount (4, big-endian)
   */
  private authDataHeader(rpId: string, flags: number, signCount: number): Buffer {
    const flagsAndCount = Buffer.alloc(5);
    flagsAndCount.writeUInt8(flags, 0);
    flagsAndCount.writeUInt32BE(signCount, 1);
    return Buffer.concat([sha256(rpId), flagsAndCount]);
  }

  /** Collected client data (WebAuthn §5.8.1), serialized as the browser would. */
  private clientDataJSON(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  /** Without an explicit RP ID, browsers use the origin's effective domain (its hostname). */
  private defaultRpId(): string {
    return new URL(this.origin).hostname;
  }
}
