import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { Repository } from 'typeorm';
import { ENVIRONMENT, Environment } from '@assent/config';
import { ChallengePush, SessionState } from '@assent/domain';
import { pushOriginOf, pushSendsTotal } from '@assent/metrics';
import { Cardholder, DeliveryRecords, Device, SessionSummaries } from '@assent/persistence';
import { challengeMessage, PushResult, PushSender } from '@assent/push';
import { SessionStore, StoredSession } from '@assent/sessions';
import { annotateActiveSpan, inSpan, SessionAttribute, sessionAttributes } from '@assent/telemetry';

export type PushRoundOutcome = 'reachable' | 'retry' | 'unreachable' | 'skipped';

/**
 * Asks every active device of the cardholder at once. When nobody can be asked
 * (every push refused for good, no device in poll mode) the session ends in ERROR
 * straight away: Enfuce should not wait 150 s for an answer that cannot come.
 */
@Injectable()
export class PushDispatchService {
  private readonly logger = new Logger(PushDispatchService.name);

  constructor(
    private readonly sessions: SessionStore,
    private readonly summaries: SessionSummaries,
    private readonly sender: PushSender,
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    private readonly records: DeliveryRecords,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {}

  /** `finalAttempt`: transient failures count as failures, since there will be no retry. */
  async dispatch(sessionId: string, finalAttempt: boolean): Promise<PushRoundOutcome> {
    const session = await this.sessions.get(sessionId);
    annotateActiveSpan(sessionAttributes(sessionId, session?.customerNumber));
    if (!session || session.state !== SessionState.Pending) return 'skipped';
    // The summary is bookkeeping: written alongside the device lookup, not before it.
    const [devices] = await Promise.all([this.activeDevicesOf(session.customerNumber), this.summaries.recordOpened(session)]);
    const pollDevices = devices.filter((device) => !device.pushSubscription);
    const toPush = devices.filter((device) => device.pushSubscription && !session.pushedDeviceIds.includes(device.id));
    const secondsLeft = Math.floor((session.expiresAt - Date.now()) / 1000);
    if (secondsLeft <= 0) return 'skipped';

    const message = challengeMessage(session, this.env.PUBLIC_BASE_URL);
    const results = await Promise.all(
      toPush.map(async (device) => {
        const result = await this.send(session, device, message, secondsLeft);
        pushSendsTotal.inc({ origin: pushOriginOf(device.pushSubscription!.endpoint), status: result.statusCode ?? result.outcome });
        await this.applyOutcome(session, device, result);
        return result;
      }),
    );
    await this.records.recordPushes(
      results.map((result, index) => ({
        sessionId,
        deviceId: toPush[index].id,
        sentAt: new Date(Date.now() - result.durationMs),
        durationMs: result.durationMs,
        statusCode: result.statusCode ?? null,
        outcome: result.outcome,
        error: result.error ?? null,
      })),
    );

    const accepted = session.pushedDeviceIds.length + results.filter((result) => result.outcome === 'accepted').length;
    const transient = results.some((result) => result.outcome === 'transient');
    if (transient && !finalAttempt) return 'retry';
    if (accepted > 0 || pollDevices.length > 0) return 'reachable';

    await this.sessions.settle(session, {
      state: SessionState.Error,
      errorReason: devices.length ? 'every push failed and no device is in poll mode' : 'the cardholder has no active device',
    });
    this.logger.warn({ msg: 'No device could be asked; session ended in ERROR', sessionId, customerNumber: session.customerNumber, devices: devices.length });
    return 'unreachable';
  }

  /**
   * One device's push, in a span of its own. Its endpoint URL is a capability (whoever
   * knows it can push to the phone), so the span names only the push service's origin.
   */
  private send(session: StoredSession, device: Device, message: ChallengePush, secondsLeft: number): Promise<PushResult> {
    const attributes = {
      ...sessionAttributes(session.sessionId, session.customerNumber),
      [SessionAttribute.DeviceId]: device.id,
      [SessionAttribute.PushService]: pushOriginOf(device.pushSubscription!.endpoint),
    };
    return inSpan('send push', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const result = await this.sender.send(device.pushSubscription!, message, secondsLeft);
      span.setAttributes({ [ATTR_HTTP_RESPONSE_STATUS_CODE]: result.statusCode, [SessionAttribute.PushOutcome]: result.outcome });
      if (result.outcome !== 'accepted') span.setStatus({ code: SpanStatusCode.ERROR });
      return result;
    });
  }

  private activeDevicesOf(customerNumber: string): Promise<Device[]> {
    return this.devices
      .createQueryBuilder('device')
      .innerJoin(Cardholder, 'cardholder', 'cardholder.id = device.cardholderId')
      .where('cardholder.customerNumber = :customerNumber', { customerNumber })
      .andWhere("device.status = 'active'")
      .getMany();
  }

  /** Acts on a push service's answer at once: a push marked as sent is never sent again by a retry. */
  private async applyOutcome(session: StoredSession, device: Device, result: PushResult): Promise<void> {
    if (result.outcome === 'accepted') {
      await this.sessions.markPushed(session.sessionId, device.id);
    } else if (result.outcome === 'expired') {
      // RFC 8030: 404/410 means the subscription is gone for good; the device keeps
      // working by polling until the app subscribes again.
      await this.devices.update({ id: device.id }, { pushSubscription: null, pushStatus: 'expired' });
    }
  }
}
