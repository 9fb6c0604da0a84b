/**
 * The credentials of the sandbox's own stand-ins, as a shop integrating with
 * them would be given. They guard nothing real: the sandbox runs on one machine
 * and plays every party except the authenticator.
 */
export const MERCHANT_API_CREDENTIALS = { username: 'sandbox-merchant', password: 'sandbox-merchant-password' };

/** 3dsecure.io authenticates its clients with an `APIKey` header (seed 001). */
export const THREE_DS_SERVER_API_KEY = '5a4d1c2e-0000-4000-8000-5a4db0c5e7e1';
