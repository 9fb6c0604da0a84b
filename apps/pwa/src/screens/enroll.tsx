import { browserSupportsWebAuthn, PublicKeyCredentialCreationOptionsJSON, startRegistration } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { DeviceContext } from '../app';
import { saveDevice } from '../device-store';
import { describeError, Problem } from '../errors';
import { MessageKey, t } from '../messages';
import { enablePush, PUSH_FIX, PushOutcome, pushUnsupportedReason } from '../push';
import { HomeButton, Outcome, PollModeNotice, ProblemText, Rich, Screen } from '../ui';

// The server keeps a registration challenge for 5 minutes; older options are fetched again.
const OPTIONS_FRESH_MS = 4 * 60 * 1000;

type Phase =
  | { kind: 'loading' }
  | { kind: 'unusable'; problem: Problem }
  | { kind: 'ready' }
  | { kind: 'creating' }
  | { kind: 'push' }
  | { kind: 'enablingPush' }
  | { kind: 'ready-to-use'; push: PushOutcome };

interface Options {
  json: PublicKeyCredentialCreationOptionsJSON;
  fetchedAt: number;
}

/**
 * Enrollment from the issuer's activation link: who is asking, a name for the
 * device, a passkey with user verification, then notifications. Without
 * notifications the device is still enrolled, in poll mode, and the app says how to fix it.
 */
export function EnrollScreen({ code, context }: { code: string | null; context: DeviceContext }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [options, setOptions] = useState<Options | null>(null);
  const [name, setName] = useState(defaultDeviceName);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [enrolledHere, setEnrolledHere] = useState(false);

  useEffect(() => {
    if (!code) return setPhase({ kind: 'unusable', problem: { message: 'linkMissingCode' } });
    if (!browserSupportsWebAuthn()) return setPhase({ kind: 'unusable', problem: { message: 'errorPasskeyUnsupported' } });
    api.registrationOptions(code).then(
      (json) => {
        setOptions({ json: json as PublicKeyCredentialCreationOptionsJSON, fetchedAt: Date.now() });
        setPhase({ kind: 'ready' });
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status < 500) return setPhase({ kind: 'unusable', problem: describeError(error) });
        setProblem(describeError(error));
        setPhase({ kind: 'ready' });
      },
    );
  }, [code]);

  if (context.device && !enrolledHere) {
    return (
      <Outcome tone="info" title="alreadyEnrolledTitle" text="alreadyEnrolledText">
        <HomeButton label="goToPurchases" />
      </Outcome>
    );
  }

  const createPasskey = async () => {
    setProblem(null);
    setPhase({ kind: 'creating' });
    try {
      const fresh = options && Date.now() - options.fetchedAt < OPTIONS_FRESH_MS ? options.json : ((await api.registrationOptions(code!)) as PublicKeyCredentialCreationOptionsJSON);
      const credential = await startRegistration({ optionsJSON: fresh });
      // The server's challenge is used up by this call, whatever its answer.
      setOptions(null);
      const device = await api.register({ activationCode: code!, credential, name: name.trim() || t('deviceComputer') });
      await saveDevice(device);
      setEnrolledHere(true);
      context.setDevice(device);
      const unsupported = pushUnsupportedReason();
      setPhase(unsupported ? { kind: 'ready-to-use', push: unsupported } : { kind: 'push' });
    } catch (error) {
      if (error instanceof ApiError && error.errorCode === 'ACTIVATION_CODE_INVALID') return setPhase({ kind: 'unusable', problem: describeError(error) });
      setProblem(describeError(error, 'errorPasskeyFailed'));
      setPhase({ kind: 'ready' });
    }
  };

  const turnOnPush = async () => {
    setProblem(null);
    setPhase({ kind: 'enablingPush' });
    try {
      setPhase({ kind: 'ready-to-use', push: await enablePush(context.device!.deviceToken) });
    } catch (error) {
      setProblem(describeError(error));
      setPhase({ kind: 'push' });
    }
  };

  switch (phase.kind) {
    case 'loading':
      return (
        <Screen title={t('enrollTitle')}>
          <p class="muted">{t('loading')}</p>
        </Screen>
      );
    case 'unusable':
      return (
        <Screen title={t('linkInvalidTitle')}>
          <ProblemText problem={phase.problem} />
        </Screen>
      );
    case 'ready':
    case 'creating':
      return (
        <Screen title={t('enrollTitle')}>
          {options && <WhoIsAsking options={options.json} />}
          <ol class="steps">
            <li>{t('enrollStep1')}</li>
            <li>{t('enrollStep2')}</li>
          </ol>
          <form
            class="actions"
            onSubmit={(event) => {
              event.preventDefault();
              void createPasskey();
            }}
          >
            <label class="field">
              <span class="field-label">{t('deviceNameLabel')}</span>
              <input
                type="text"
                name="deviceName"
                value={name}
                maxLength={60}
                autoComplete="off"
                aria-describedby="device-name-hint"
                onInput={(event) => setName(event.currentTarget.value)}
              />
              <span id="device-name-hint" class="muted small">
                {t('deviceNameHint')}
              </span>
            </label>
            <ProblemText problem={problem} />
            <button type="submit" class="button primary" disabled={phase.kind === 'creating'} aria-busy={phase.kind === 'creating'}>
              {phase.kind === 'creating' ? t('waitingForPasskey') : t('createPasskey')}
            </button>
          </form>
        </Screen>
      );
    case 'push':
    case 'enablingPush':
      return (
        <Screen title={t('pushTitle')}>
          <p class="lead">{t('pushText')}</p>
          <ProblemText problem={problem} />
          <div class="actions">
            <button type="button" class="button primary" disabled={phase.kind === 'enablingPush'} onClick={turnOnPush}>
              {phase.kind === 'enablingPush' ? t('pushEnabling') : t('pushEnable')}
            </button>
            <button type="button" class="button quiet" disabled={phase.kind === 'enablingPush'} onClick={() => setPhase({ kind: 'ready-to-use', push: 'skipped' })}>
              {t('notNow')}
            </button>
          </div>
        </Screen>
      );
    case 'ready-to-use':
      return (
        <Outcome tone="ok" title="readyTitle" text={phase.push === 'on' ? 'readyPushOn' : 'pollModeText'}>
          {phase.push !== 'on' && <PollModeNotice fix={PUSH_FIX[phase.push]} />}
          <HomeButton label="goToPurchases" />
        </Outcome>
      );
  }
}

function WhoIsAsking({ options }: { options: PublicKeyCredentialCreationOptionsJSON }) {
  const cardholder = options.user.displayName || options.user.name;
  return (
    <div class="card">
      <p>
        <Rich message="enrollWho" values={{ rp: <strong>{options.rp.name}</strong> }} />
      </p>
      {cardholder && (
        <dl class="facts">
          <div>
            <dt>{t('cardholder')}</dt>
            <dd>{cardholder}</dd>
          </div>
        </dl>
      )}
    </div>
  );
}

/** A name the cardholder will recognise in a list of their devices, from what the browser tells about itself. */
function defaultDeviceName(): string {
  const ua = navigator.userAgent;
  const key: MessageKey = /iPhone|iPod/.test(ua) ? 'deviceIphone' : /iPad/.test(ua) ? 'deviceIpad' : /Android/.test(ua) ? 'deviceAndroid' : 'deviceComputer';
  return t(key);
}
