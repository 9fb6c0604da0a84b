import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Problem } from './errors';
import { MessageKey, MESSAGES, locale, t } from './messages';
import { followLink, navigate } from './router';

/**
 * One screen: its heading takes the focus when the screen changes, so a screen
 * reader announces where the cardholder now is, and the tab order starts there.
 */
export function Screen({ title, children }: { title: string; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('appName')}`;
    heading.current?.focus();
  }, [title]);
  return (
    <section class="screen" aria-labelledby="screen-title">
      <h1 id="screen-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}

export function Link({ href, class: className, children }: { href: string; class?: string; children: ComponentChildren }) {
  return (
    <a href={href} class={className} onClick={followLink}>
      {children}
    </a>
  );
}

/** An error, read out at once by screen readers. */
export function ProblemText({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  return (
    <p class="problem" role="alert">
      {t(problem.message)}
      {problem.reference && <span class="reference"> {t('errorReference', { id: problem.reference })}</span>}
    </p>
  );
}

/** A sentence with `{name}` values that are elements (a name in bold), not just text. */
export function Rich({ message, values }: { message: MessageKey; values: Record<string, VNode | string> }) {
  const parts = MESSAGES[locale.language][message].split(/\{(\w+)\}/);
  return <>{parts.map((part, index) => (index % 2 === 1 ? (values[part] ?? `{${part}}`) : part))}</>;
}

export type Tone = 'ok' | 'stop' | 'wait' | 'info';

/** A large symbol for a result screen; decorative, since the heading says the same. */
export function ToneIcon({ tone }: { tone: Tone }) {
  const paths: Record<Tone, string> = {
    ok: 'M7 12.5l3.2 3.2L17 9',
    stop: 'M8.5 8.5l7 7M15.5 8.5l-7 7',
    wait: 'M12 7v5l3 2',
    info: 'M12 11v5M12 8h.01',
  };
  return (
    <div class={`tone-icon tone-${tone}`} aria-hidden="true">
      <svg viewBox="0 0 24 24" width="40" height="40" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">
        <circle cx="12" cy="12" r="10" />
        <path d={paths[tone]} />
      </svg>
    </div>
  );
}

/** An outcome: the symbol, the heading and what happens next. */
export function Outcome({ tone, title, text, children }: { tone: Tone; title: MessageKey; text: MessageKey; children?: ComponentChildren }) {
  return (
    <div class="outcome">
      <ToneIcon tone={tone} />
      <Screen title={t(title)}>
        <p class="lead">{t(text)}</p>
        {children}
      </Screen>
    </div>
  );
}

/** The way back to the purchases from a screen that has said what it had to say. */
export function HomeButton({ label }: { label: MessageKey }) {
  return (
    <button type="button" class="button primary" onClick={() => navigate('/app/')}>
      {t(label)}
    </button>
  );
}

/** Why this device has no notifications, and how to get them. */
export function PollModeNotice({ fix }: { fix: MessageKey }) {
  return (
    <div class="notice notice-warn" role="note">
      <p class="notice-title">{t('pollModeTitle')}</p>
      <p>{t(fix)}</p>
    </div>
  );
}
