import { pickLocale } from './locale';

describe('pickLocale', () => {
  it('speaks the first of the browser’s languages that the app knows, formatting with its full tag', () => {
    expect(pickLocale(['fi-FI', 'en-US'])).toEqual({ language: 'fi', tag: 'fi-FI' });
    expect(pickLocale(['sv-FI', 'en-GB', 'fi'])).toEqual({ language: 'en', tag: 'en-GB' });
    expect(pickLocale(['FI'])).toEqual({ language: 'fi', tag: 'fi' });
  });

  it('falls back to English for a browser that prefers only languages the app does not speak', () => {
    expect(pickLocale(['de-DE', 'sv'])).toEqual({ language: 'en', tag: 'en' });
    expect(pickLocale([])).toEqual({ language: 'en', tag: 'en' });
  });
});
