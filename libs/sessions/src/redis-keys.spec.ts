import { QueueKeys } from 'bullmq';
import calculateSlot from 'cluster-key-slot';
import { bullPrefix, jobIds, QueueName } from '@assent/queue';
import { RedisKeys } from './redis-keys';

describe('RedisKeys', () => {
  const keys = new RedisKeys('assent');
  const sessionId = '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98';
  const everyKey = [
    keys.session(sessionId),
    keys.pending('392492402'),
    keys.devices('392492402'),
    keys.deviceIndexBuilt(),
    keys.adminSession('0f1e2d'),
    keys.registrationChallenge('a1b2c3'),
    `${keys.rateLimit('decision')}:device-1`,
    // BullMQ's, as BullMQ names them under the prefix the queue module gives it.
    ...Object.values(QueueName).flatMap((queue) => [
      ...Object.values(new QueueKeys(bullPrefix('assent')).getKeys(queue)),
      new QueueKeys(bullPrefix('assent')).toKey(queue, jobIds.callback(sessionId)),
    ]),
  ];

  it('puts every key of the service, BullMQ’s included, in the one Cluster slot of its hash tag', () => {
    // The session scripts touch several keys, and a session change is one MULTI with its
    // BullMQ job: on a Cluster all of them must hash to one slot, or Redis answers CROSSSLOT.
    const slots = new Set(everyKey.map((key) => calculateSlot(key)));
    expect([...slots]).toEqual([calculateSlot('{assent}')]);
  });

  it('starts every key with the braced prefix, and carries no other braces that could move a key elsewhere', () => {
    for (const key of everyKey) expect(key).toMatch(/^\{assent\}:[^{}]+$/);
  });
});
