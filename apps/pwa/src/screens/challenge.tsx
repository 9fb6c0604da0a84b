import { startAuthentication } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, ChallengeView, DeclineReason, isRevoked, SessionState } from '../api';
import type { DeviceContext } from '../app';
import { describeError, Problem } from '../errors';
import { cardLast4, countryName, formatAmount, formatCountdown, merchantHost } from '../format';
import { useServerNow } from '../hooks';
import { locale, MessageKey, t } from '../messages';
import { HomeButton, Outcome, ProblemText, Screen, Tone } from '../ui';

/** How a challenge ended, as the cardholder is told. */
type Ending = 'approved' | 'declined' | 'declinedNotMe' | 'timedOut' | 'alreadyApproved' | 'alreadyDeclined' | 'failed' | 'notFound';

const ENDINGS: Record<Ending, { tone: Tone; title: MessageKey; text: MessageKey }> = {
  approved: { tone: 'ok', title: 'approvedTitle', text: 'approvedText' },
  declined: { tone: 'stop', title: 'declinedTitle', text: 'declinedText' },
  declinedNotMe: { tone: 'stop', title: 'declinedTitle', text: 'declinedNotMeText' },
  timedOut: { tone: 'wait', title: 'timedOutTitle', text: 'timedOutText' },
  alreadyApproved: { tone: 'ok', title: 'alreadyApprovedTitle', text: 'alreadyApprovedText' },
  alreadyDeclined: { tone: 'stop', title: 'alreadyDeclinedTitle', text: 'alreadyDeclinedText' },
  failed: { tone: 'stop', title: 'failedTitle', text: 'failedText' },
  notFound: { tone: 'info', title: 'notFoundTitle', text: 'notFoundText' },
};

const ENDING_OF_STATE: Record<Exclude<SessionState, 'PENDING'>, Ending> = {
  APPROVED: 'alreadyApproved',
  DECLINED: 'alreadyDeclined',
  TIMEOUT: 'timedOut',
  ERROR: 'failed',
};

type Phase =
  | { kind: 'loading' }
  | { kind: 'ask' }
  | { kind: 'confirmDecline' }
  | { kind: 'busy'; label: MessageKey; from: 'ask' | 'confirmDecline' }
  | { kind: 'ended'; ending: Ending };

// A screen reader hears the countdown at these moments, not every second.
const ANNOUNCE_AT_SECONDS = [60, 30, 10];

export function ChallengeScreen({ sessionId, context }: { sessionId: string; context: DeviceContext }) {
  if (!context.device) return <Outcome tone="info" title="setupFirstTitle" text="setupFirstText" />;
  return <Approval sessionId={sessionId} token={context.device.deviceToken} onRevoked={context.onRevoked} />;
}

/** The approval screen: what is being paid, to whom, with which card, and how long is left to answer. */
function Approval({ sessionId, token, onRevoked }: { sessionId: string; token: string; onRevoked(): void }) {
  const [challenge, setChallenge] = useState<ChallengeView | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const now = useServerNow();
  const secondsLeft = challenge ? Math.max(0, Math.ceil((Date.parse(challenge.expiresAt) - now) / 1000)) : undefined;

  const end = (ending: Ending) => {
    setPhase({ kind: 'ended', ending });
    void closeNotification(sessionId);
  };

  /** An error from the service or the passkey: some end the challenge, the rest leave the cardholder to try again. */
  const fail = (error: unknown, from: 'ask' | 'confirmDecline', fallback: MessageKey) => {
    if (isRevoked(error)) return onRevoked();
    if (error instanceof ApiError && error.errorCode === 'SESSION_ALREADY_DECIDED') {
      return end(ENDING_OF_STATE[error.reason as keyof typeof ENDING_OF_STATE] ?? 'failed');
    }
    if (error instanceof ApiError && error.status === 404) return end('notFound');
    setProblem(describeError(error, fallback));
    setPhase({ kind: from });
  };

  useEffect(() => {
    setPhase({ kind: 'loading' });
    api.challenge(token, sessionId).then(
      (loaded) => {
        setChallenge(loaded);
        if (loaded.state === 'PENDING') setPhase({ kind: 'ask' });
        else end(ENDING_OF_STATE[loaded.state]);
      },
      (error: unknown) => {
        if (isRevoked(error)) return onRevoked();
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return end('notFound');
        setProblem(describeError(error));
      },
    );
  }, [token, sessionId]);

  useEffect(() => {
    if (secondsLeft === 0 && (phase.kind === 'ask' || phase.kind === 'confirmDecline')) end('timedOut');
  }, [secondsLeft, phase.kind]);

  const approve = async () => {
    setProblem(null);
    setPhase({ kind: 'busy', label: 'confirmWithPasskey', from: 'ask' });
    try {
      const optionsJSON = (await api.assertionOptions(token, sessionId)) as Parameters<typeof startAuthentication>[0]['optionsJSON'];
      const credential = await startAuthentication({ optionsJSON });
      setPhase({ kind: 'busy', label: 'sending', from: 'ask' });
      await api.approve(token, sessionId, credential);
      end('approved');
    } catch (error) {
      fail(error, 'ask', 'errorPasskeyFailed');
    }
  };

  const decline = async (reason: DeclineReason) => {
    setProblem(null);
    setPhase({ kind: 'busy', label: 'sending', from: 'confirmDecline' });
    try {
      await api.decline(token, sessionId, reason);
      end(reason === 'not_me' ? 'declinedNotMe' : 'declined');
    } catch (error) {
      fail(error, 'confirmDecline', 'errorUnexpected');
    }
  };

  if (phase.kind === 'ended') {
    const ending = ENDINGS[phase.ending];
    return (
      <Outcome tone={ending.tone} title={ending.title} text={ending.text}>
        <HomeButton label="done" />
      </Outcome>
    );
  }
  if (!challenge) {
    return (
      <Screen title={t('challengeTitle')}>
        <ProblemText problem={problem} />
        {!problem && <p class="muted">{t('loading')}</p>}
      </Screen>
    );
  }

  const amount = formatAmount(locale, challenge.amount);
  const busy = phase.kind === 'busy';
  const asking = phase.kind === 'ask' || (busy && phase.from === 'ask');
  return (
    <Screen title={t(asking ? 'challengeTitle' : 'wasThisYouTitle')}>
      {asking ? <Purchase challenge={challenge} /> : <p class="lead">{t('wasThisYouText', { amount, merchant: challenge.merchant.name })}</p>}
      <Countdown secondsLeft={secondsLeft ?? 0} />
      <ProblemText problem={problem} />
      <div class="actions" aria-busy={busy}>
        {asking ? (
          <>
            <button type="button" class="button primary" disabled={busy} onClick={approve}>
              {busy ? t(phase.label) : t('approve')}
            </button>
            <button type="button" class="button secondary" disabled={busy} onClick={() => setPhase({ kind: 'confirmDecline' })}>
              {t('decline')}
            </button>
            <p class="muted small">{t('approveHint')}</p>
          </>
        ) : (
          <>
            <button type="button" class="button secondary" disabled={busy} onClick={() => decline('other')}>
              {t('declineMine')}
            </button>
            <button type="button" class="button danger" disabled={busy} onClick={() => decline('not_me')}>
              {t('declineNotMe')}
            </button>
            <button type="button" class="button quiet" disabled={busy} onClick={() => setPhase({ kind: 'ask' })}>
              {t('back')}
            </button>
          </>
        )}
      </div>
    </Screen>
  );
}

function Purchase({ challenge }: { challenge: ChallengeView }) {
  const host = merchantHost(challenge.merchant.url);
  const last4 = cardLast4(challenge.cardNumber);
  return (
    <div class="card purchase">
      <p class="purchase-amount">{formatAmount(locale, challenge.amount)}</p>
      <p class="purchase-merchant">{challenge.merchant.name}</p>
      {challenge.merchant.description && <p class="muted">{challenge.merchant.description}</p>}
      <dl class="facts">
        {host && (
          <div>
            <dt>{t('shop')}</dt>
            <dd>{host}</dd>
          </div>
        )}
        {challenge.merchant.country && (
          <div>
            <dt>{t('country')}</dt>
            <dd>{countryName(locale, challenge.merchant.country)}</dd>
          </div>
        )}
        {last4 && (
          <div>
            <dt>{t('card')}</dt>
            <dd>
              <span aria-hidden="true">•••• {last4}</span>
              <span class="sr-only">{t('cardEnding', { last4 })}</span>
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function Countdown({ secondsLeft }: { secondsLeft: number }) {
  const announced = ANNOUNCE_AT_SECONDS.find((mark) => secondsLeft <= mark && secondsLeft > mark - 5);
  return (
    <div class={`countdown${secondsLeft <= 20 ? ' countdown-urgent' : ''}`}>
      <span class="countdown-label">{t('timeLeft')}</span>
      <span class="countdown-time" role="timer">
        {formatCountdown(secondsLeft)}
      </span>
      <span class="sr-only" aria-live="polite">
        {announced ? t('secondsLeftAnnouncement', { seconds: announced }) : ''}
      </span>
    </div>
  );
}

async function closeNotification(sessionId: string): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration('/app/');
  for (const notification of (await registration?.getNotifications({ tag: sessionId })) ?? []) notification.close();
}
