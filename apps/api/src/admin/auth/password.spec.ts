import { hashForUnknownUser, hashPassword, verifyPassword } from './password';

describe('admin passwords', () => {
  it('verifies the password a hash was made from', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
  });

  it('refuses any other password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash, so two users with one password get different hashes', async () => {
    expect(await hashPassword('the same password')).not.toBe(await hashPassword('the same password'));
  });

  it('stores the scheme and its parameters with the hash, never the password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('horse');
  });

  it('treats the same passphrase typed in another Unicode normal form as the same', async () => {
    const hash = await hashPassword('Sälasana-pitkä-1');
    expect(await verifyPassword('Sa\u0308lasana-pitka\u0308-1', hash)).toBe(true);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('anything at all', 'plain-text-password')).toBe(false);
  });

  it('has a hash for unknown users that no password matches by chance', async () => {
    expect(await verifyPassword('', await hashForUnknownUser())).toBe(false);
  });
});
