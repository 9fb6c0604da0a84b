import { MESSAGES } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('messages', () => {
  it('says every sentence in Finnish too, with the same values filled in', () => {
    for (const [key, english] of Object.entries(MESSAGES.en)) {
      const finnish = MESSAGES.fi[key as keyof typeof MESSAGES.fi];
      expect({ key, filled: finnish.trim().length > 0 }).toEqual({ key, filled: true });
      expect({ key, placeholders: placeholders(finnish) }).toEqual({ key, placeholders: placeholders(english) });
    }
  });

  it('never shows a status code or an error code to the cardholder', () => {
    for (const catalogue of Object.values(MESSAGES)) {
      for (const text of Object.values(catalogue)) expect(text).not.toMatch(/\b[45]\d\d\b|[A-Z]{3,}_[A-Z]+/);
    }
  });
});
