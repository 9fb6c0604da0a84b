import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, isRevoked, OfflineError, PendingChallenge } from '../api';
import type { DeviceContext } from '../app';
import { describeError, Problem } from '../errors';
import { formatAmount, formatCountdown, formatTime } from '../format';
import { usePolling, useServerNow } from '../hooks';
import { locale, t } from '../messages';
import { Link, Outcome, ProblemText, Screen } from '../ui';

// Often enough that a purchase shows up while the cardholder is still looking at the shop.
const POLL_INTERVAL_MS = 3000;

export function HomeScreen({ context, revoked }: { context: DeviceContext; revoked: boolean }) {
  if (!context.device) {
    return revoked ? (
      <Outcome tone="info" title="revokedTitle" text="revokedText" />
    ) : (
      <Outcome tone="info" title="setupFirstTitle" text="setupFirstText" />
    );
  }
  return <PendingChallenges token={context.device.deviceToken} onRevoked={context.onRevoked} />;
}

/** The poll fallback: every purchase waiting for this cardholder, whether or not its notification arrived. */
function PendingChallenges({ token, onRevoked }: { token: string; onRevoked(): void }) {
  const [challenges, setChallenges] = useState<PendingChallenge[] | null>(null);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [offline, setOffline] = useState(false);
  const [pushOff, setPushOff] = useState(false);
  const now = useServerNow(1000);

  const refresh = useCallback(async () => {
    try {
      setChallenges(await api.pendingChallenges(token));
      setCheckedAt(new Date());
      setProblem(null);
      setOffline(false);
    } catch (error) {
      if (isRevoked(error)) return onRevoked();
      // Offline is said once, by the app's banner; the list waits for the connection.
      setOffline(error instanceof OfflineError);
      setProblem(error instanceof OfflineError ? null : describeError(error));
    }
  }, [token, onRevoked]);
  usePolling(refresh, POLL_INTERVAL_MS);

  useEffect(() => {
    api.deviceStatus(token).then(
      (status) => setPushOff(status.pushStatus !== 'active'),
      () => undefined,
    );
  }, [token]);

  const open = (challenges ?? []).filter((challenge) => Date.parse(challenge.expiresAt) > now);
  return (
    <Screen title={t('homeTitle')}>
      {pushOff && (
        <p class="notice notice-warn">
          {t('pushOffBanner')} <Link href="/app/device">{t('pushEnable')}</Link>
        </p>
      )}
      <ProblemText problem={problem} />
      {challenges === null && !problem && <p class="muted">{t(offline ? 'homeOffline' : 'loading')}</p>}
      {challenges !== null && open.length === 0 && (
        <div class="empty">
          <p class="lead">{t('homeEmpty')}</p>
          <p class="muted">{t('homeEmptyHint')}</p>
        </div>
      )}
      {open.length > 0 && (
        <ul class="challenge-list">
          {open.map((challenge) => {
            const amount = formatAmount(locale, challenge.amount);
            const timeLeft = t('timeLeftShort', { time: formatCountdown((Date.parse(challenge.expiresAt) - now) / 1000) });
            return (
              <li key={challenge.sessionId}>
                <Link href={`/app/challenges/${challenge.sessionId}`} class="challenge-link">
                  {/* The commas keep a screen reader's reading of the link apart: "€3.14, Airline…, 1:28 left". */}
                  <span class="challenge-amount">{amount}</span>
                  <span class="sr-only">, </span>
                  <span class="challenge-merchant">{challenge.merchant.name}</span>
                  <span class="sr-only">, </span>
                  <span class="challenge-time">{timeLeft}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {checkedAt && <p class="muted small">{t('homeChecked', { time: formatTime(locale, checkedAt) })}</p>}
    </Screen>
  );
}
