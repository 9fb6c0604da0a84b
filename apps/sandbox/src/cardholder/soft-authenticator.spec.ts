import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { decodeAttestationObject, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { SoftAuthenticator } from './soft-authenticator';

const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

function registrationOptions(userName: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: 'Assent test',
    rpID: RP_ID,
    userName,
    userID: new TextEncoder().encode(`user-${userName}`),
    authenticatorSelection: { userVerification: 'required', residentKey: 'preferred' },
    attestationType: 'none',
  });
}

/** Registers a fresh authenticator against the real server verification; returns it and the stored credential. */
async function enrol(userName: string): Promise<{ authenticator: SoftAuthenticator; credential: WebAuthnCredential; userId: string }> {
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const options = await registrationOptions(userName);
  const response = authenticator.register(options);
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    requireUserVerification: true,
  });
  expect(verification.verified).toBe(true);
  return { authenticator, credential: verification.registrationInfo!.credential, userId: options.user.id };
}

async function authenticationOptions(credentialId: string) {
  return generateAuthenticationOptions({
    rpID: RP_ID,
    allowCredentials: [{ id: credentialId }],
    userVerification: 'required',
  });
}

describe('SoftAuthenticator against @simplewebauthn/server', () => {
  it('registers a credential the server verifies (none attestation, ES256, UP|UV|AT, counter 0)', async () => {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    expect(authenticator.credentialId).toBeUndefined();
    const options = await registrationOptions('alice');
    const response = authenticator.register(options);

    expect(response.id).toBe(authenticator.credentialId);
    expect(response.rawId).toBe(response.id);
    expect(response.type).toBe('public-key');
    expect(response.authenticatorAttachment).toBe('platform');
    expect(response.clientExtensionResults).toEqual({});
    expect(response.response.transports).toEqual(['internal']);
    expect(response.response.publicKeyAlgorithm).toBe(-7);

    const attestation = decodeAttestationObject(isoBase64URL.toBuffer(response.response.attestationObject));
    expect(attestation.get('fmt')).toBe('none');
    const authData = parseAuthenticatorData(attestation.get('authData'));
    expect(authData.flags).toMatchObject({ up: true, uv: true, at: true, ed: false });
    expect(authData.counter).toBe(0);

    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: options.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      requireUserVerification: true,
    });
    expect(verification.verified).toBe(true);
    const info = verification.registrationInfo!;
    expect(info.fmt).toBe('none');
    expect(info.credential.id).toBe(authenticator.credentialId);
    expect(info.credential.counter).toBe(0);
    expect(info.userVerified).toBe(true);
    expect(info.origin).toBe(ORIGIN);
    expect(info.rpID).toBe(RP_ID);
  });

  it('produces assertions the server verifies, with an increasing counter and the user handle', async () => {
    const { authenticator, credential, userId } = await enrol('bob');
    let counter = credential.counter;

    for (let i = 0; i < 2; i++) {
      const options = await authenticationOptions(credential.id);
      const response = authenticator.assert(options);
      expect(response.id).toBe(credential.id);
      expect(response.response.userHandle).toBe(userId);

      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: options.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential: { id: credential.id, publicKey: credential.publicKey, counter },
        requireUserVerification: true,
      });
      expect(verification.verified).toBe(true);
      expect(verification.authenticationInfo.newCounter).toBeGreaterThan(counter);
      expect(verification.authenticationInfo.userVerified).toBe(true);
      counter = verification.authenticationInfo.newCounter;
    }
    expect(counter).toBe(2);
  });

  it('throws when none of its credentials is in allowCredentials', async () => {
    const { authenticator } = await enrol('carol');
    const { authenticator: other } = await enrol('dave');
    const options = await authenticationOptions(other.credentialId!);
    expect(() => authenticator.assert(options)).toThrow(/allowCredentials/);
  });

  describe('forged assertions the server must reject', () => {
    let authenticator: SoftAuthenticator;
    let credential: WebAuthnCredential;

    beforeEach(async () => {
      ({ authenticator, credential } = await enrol('erin'));
    });

    async function verify(response: ReturnType<SoftAuthenticator['assert']>, expectedChallenge: string) {
      return verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential: { id: credential.id, publicKey: credential.publicKey, counter: credential.counter },
        requireUserVerification: true,
      });
    }

    it('wrong challenge', async () => {
      const options = await authenticationOptions(credential.id);
      const stale = isoBase64URL.fromUTF8String('some other challenge');
      const response = authenticator.assert(options, { challenge: stale });
      await expect(verify(response, options.challenge)).rejects.toThrow(/Unexpected authentication response challenge/);
    });

    it('wrong origin', async () => {
      const options = await authenticationOptions(credential.id);
      const response = authenticator.assert(options, { origin: 'https://evil.example' });
      await expect(verify(response, options.challenge)).rejects.toThrow(/Unexpected authentication response origin/);
    });

    it('user not verified while verification is required', async () => {
      const options = await authenticationOptions(credential.id);
      const response = authenticator.assert(options, { userVerified: false });
      await expect(verify(response, options.challenge)).rejects.toThrow(/User verification required/);
    });

    it('wrong RP ID', async () => {
      const options = await authenticationOptions(credential.id);
      const response = authenticator.assert(options, { rpId: 'evil.example' });
      await expect(verify(response, options.challenge)).rejects.toThrow(/RP ID/i);
    });

    it('sign counter not above the stored one (replay / cloned authenticator)', async () => {
      const options = await authenticationOptions(credential.id);
      const response = authenticator.assert(options, { counter: 5 });
      await expect(
        verifyAuthenticationResponse({
          response,
          expectedChallenge: options.challenge,
          expectedOrigin: ORIGIN,
          expectedRPID: RP_ID,
          credential: { id: credential.id, publicKey: credential.publicKey, counter: 7 },
          requireUserVerification: true,
        }),
      ).rejects.toThrow(/counter value 5 was lower than expected 7/);
    });

    it("another authenticator's credential signing for this credential's id (signature mismatch)", async () => {
      const { authenticator: intruder } = await enrol('mallory');
      const options = await authenticationOptions(credential.id);
      // The intruder holds no allowed credential, so it signs with its own key while claiming erin's id.
      const response = intruder.assert(options, { credentialId: credential.id });
      expect(response.id).toBe(credential.id);
      const verification = await verify(response, options.challenge);
      expect(verification.verified).toBe(false);
    });

    it('sanity: the same, unforged, verifies', async () => {
      const options = await authenticationOptions(credential.id);
      const verification = await verify(authenticator.assert(options), options.challenge);
      expect(verification.verified).toBe(true);
    });
  });
});
