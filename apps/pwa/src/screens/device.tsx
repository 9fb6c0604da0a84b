import { useEffect, useState } from 'preact/hooks';
import { api, DeviceStatusView, isRevoked } from '../api';
import type { DeviceContext } from '../app';
import { forgetDevice } from '../device-store';
import { describeError, Problem } from '../errors';
import { formatDateTime } from '../format';
import { locale, MessageKey, t } from '../messages';
import { dropPushSubscription, enablePush, hasPushSubscription, PUSH_FIX, PushOutcome } from '../push';
import { HomeButton, Outcome, PollModeNotice, ProblemText, Screen } from '../ui';

type Phase = 'view' | 'enablingPush' | 'confirmRemove' | 'removing' | 'removed';

/** This device's status: its name, when it was set up and last used, its notifications, and its removal. */
export function DeviceScreen({ context }: { context: DeviceContext }) {
  const [status, setStatus] = useState<DeviceStatusView | null>(null);
  const [subscribedHere, setSubscribedHere] = useState<boolean | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>('view');
  const [pushOutcome, setPushOutcome] = useState<PushOutcome | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const token = context.device?.deviceToken;

  const load = async (deviceToken: string) => {
    try {
      setStatus(await api.deviceStatus(deviceToken));
      setSubscribedHere(await hasPushSubscription().catch(() => false));
    } catch (error) {
      if (isRevoked(error)) return context.onRevoked();
      setProblem(describeError(error));
    }
  };
  useEffect(() => {
    if (token) void load(token);
  }, [token]);

  if (phase === 'removed') {
    return (
      <Outcome tone="info" title="removedTitle" text="removedText">
        <HomeButton label="done" />
      </Outcome>
    );
  }
  if (!token) return <Outcome tone="info" title="setupFirstTitle" text="setupFirstText" />;

  const turnOnPush = async () => {
    setProblem(null);
    setPhase('enablingPush');
    try {
      const outcome = await enablePush(token);
      setPushOutcome(outcome);
      if (outcome === 'on') await load(token);
    } catch (error) {
      setProblem(describeError(error));
    }
    setPhase('view');
  };

  const remove = async () => {
    setProblem(null);
    setPhase('removing');
    try {
      await api.removeDevice(token);
    } catch (error) {
      if (!isRevoked(error)) {
        setProblem(describeError(error));
        return setPhase('confirmRemove');
      }
    }
    await forgetDevice();
    await dropPushSubscription().catch(() => undefined);
    setPhase('removed');
    context.setDevice(null);
  };

  if (phase === 'confirmRemove' || phase === 'removing') {
    return (
      <Screen title={t('removeConfirmTitle')}>
        <p class="lead">{t('removeConfirmText')}</p>
        <ProblemText problem={problem} />
        <div class="actions" aria-busy={phase === 'removing'}>
          <button type="button" class="button danger" disabled={phase === 'removing'} onClick={remove}>
            {t('remove')}
          </button>
          <button type="button" class="button quiet" disabled={phase === 'removing'} onClick={() => setPhase('view')}>
            {t('cancel')}
          </button>
        </div>
      </Screen>
    );
  }

  const pushOn = status?.pushStatus === 'active' && subscribedHere !== false;
  const pushLabel: MessageKey = pushOn ? 'pushActive' : status?.pushStatus === 'none' ? 'pushNone' : 'pushExpired';
  return (
    <Screen title={t('deviceTitle')}>
      <ProblemText problem={problem} />
      {!status && !problem && <p class="muted">{t('loading')}</p>}
      {status && (
        <>
          <dl class="card facts">
            <div>
              <dt>{t('deviceName')}</dt>
              <dd>{status.name}</dd>
            </div>
            <div>
              <dt>{t('deviceCreated')}</dt>
              <dd>{formatDateTime(locale, status.createdAt)}</dd>
            </div>
            <div>
              <dt>{t('deviceLastUsed')}</dt>
              <dd>{status.lastUsedAt ? formatDateTime(locale, status.lastUsedAt) : t('never')}</dd>
            </div>
            <div>
              <dt>{t('notifications')}</dt>
              <dd class={pushOn ? 'status-ok' : 'status-warn'}>{t(pushLabel)}</dd>
            </div>
          </dl>
          {!pushOn && (
            <div class="actions">
              <PollModeNotice fix={pushOutcome && pushOutcome !== 'on' ? PUSH_FIX[pushOutcome] : 'pollModeText'} />
              <button type="button" class="button primary" disabled={phase === 'enablingPush'} onClick={turnOnPush}>
                {phase === 'enablingPush' ? t('pushEnabling') : t('pushEnable')}
              </button>
            </div>
          )}
        </>
      )}
      <div class="actions">
        <button type="button" class="button danger-outline" onClick={() => setPhase('confirmRemove')}>
          {t('removeDevice')}
        </button>
      </div>
    </Screen>
  );
}
