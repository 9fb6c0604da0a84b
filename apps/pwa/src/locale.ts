export type Language = 'en' | 'fi';

/** The language the app speaks, and the full tag (fi-FI, en-GB) that formats amounts and dates. */
export interface Locale {
  language: Language;
  tag: string;
}

/** The first of the browser's preferred languages the app speaks; English otherwise. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split('-')[0];
    if (language === 'fi' || language === 'en') return { language, tag: canonical(tag) ?? language };
  }
  return { language: 'en', tag: 'en' };
}

function canonical(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}
