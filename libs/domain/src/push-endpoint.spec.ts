import { isAllowedPushEndpoint } from './push-endpoint';

const ALLOWED = ['fcm.googleapis.com', 'updates.push.services.mozilla.com', '*.push.apple.com', '*.notify.windows.com'];

describe('isAllowedPushEndpoint', () => {
  it('accepts an https endpoint on an exactly listed host', () => {
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc:def', ALLOWED)).toBe(true);
    expect(isAllowedPushEndpoint('https://updates.push.services.mozilla.com/wpush/v2/gAAAA', ALLOWED)).toBe(true);
  });

  it('refuses a host that is not listed', () => {
    expect(isAllowedPushEndpoint('https://example.com/push', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com.evil.com/push', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://sub.fcm.googleapis.com/push', ALLOWED)).toBe(false);
  });

  it('refuses everything when the allow list is empty', () => {
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', [])).toBe(false);
  });

  it('lets a *. entry match a subdomain', () => {
    expect(isAllowedPushEndpoint('https://web.push.apple.com/QAbc', ALLOWED)).toBe(true);
    expect(isAllowedPushEndpoint('https://a.b.push.apple.com/QAbc', ALLOWED)).toBe(true);
    expect(isAllowedPushEndpoint('https://wns2-par02p.notify.windows.com/w/?token=x', ALLOWED)).toBe(true);
  });

  it('does not let a *. entry match the bare domain', () => {
    expect(isAllowedPushEndpoint('https://push.apple.com/QAbc', ALLOWED)).toBe(false);
  });

  it('does not let a *. entry match a host that merely contains or extends it', () => {
    expect(isAllowedPushEndpoint('https://push.apple.com.evil.com/QAbc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://web.push.apple.com.evil.com/QAbc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://evilpush.apple.com/QAbc', ALLOWED)).toBe(false);
  });

  it('refuses http: and other schemes', () => {
    expect(isAllowedPushEndpoint('http://fcm.googleapis.com/fcm/send/abc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('http://web.push.apple.com/QAbc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('wss://fcm.googleapis.com/fcm/send/abc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('ftp://fcm.googleapis.com/abc', ALLOWED)).toBe(false);
  });

  it('refuses an endpoint with userinfo', () => {
    expect(isAllowedPushEndpoint('https://user@fcm.googleapis.com/fcm/send/abc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://user:pw@fcm.googleapis.com/fcm/send/abc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://:pw@fcm.googleapis.com/fcm/send/abc', ALLOWED)).toBe(false);
    // The real host here is evil.com; the allowed name is only userinfo.
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com@evil.com/fcm/send/abc', ALLOWED)).toBe(false);
  });

  it('refuses an invalid URL', () => {
    expect(isAllowedPushEndpoint('not a url', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('fcm.googleapis.com/fcm/send/abc', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://', ALLOWED)).toBe(false);
  });

  it('compares hosts case-insensitively, in the endpoint and in the allow list', () => {
    expect(isAllowedPushEndpoint('https://FCM.GoogleAPIs.com/fcm/send/abc', ALLOWED)).toBe(true);
    expect(isAllowedPushEndpoint('https://WEB.PUSH.APPLE.COM/QAbc', ALLOWED)).toBe(true);
    expect(isAllowedPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', ['FCM.GOOGLEAPIS.COM'])).toBe(true);
    expect(isAllowedPushEndpoint('https://web.push.apple.com/QAbc', ['*.PUSH.Apple.com'])).toBe(true);
  });

  it('refuses an IP address such as the cloud metadata service', () => {
    expect(isAllowedPushEndpoint('https://169.254.169.254/latest/meta-data/', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://127.0.0.1/push', ALLOWED)).toBe(false);
    expect(isAllowedPushEndpoint('https://[::1]/push', ALLOWED)).toBe(false);
  });
});
