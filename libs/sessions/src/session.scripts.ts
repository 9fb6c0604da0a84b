// Lua runs atomically in Redis: each script is one compare-and-set that no other
// client can interleave with, which is what makes "first decision wins" hold
// across any number of API and worker processes.

/**
 * Stores a new session unless one exists.
 * KEYS: session, device index of the customer, pending index of the customer
 * ARGV: fingerprint, ttlSeconds, sessionId, expiresAtMs, events channel, event, then field/value pairs
 * Publishes the event only when the session is created.
 * Returns {outcome, expiresAtMs}: outcome is created | duplicate | conflict | no_device;
 * for a duplicate, expiresAtMs is the stored session's.
 */
export const CREATE_SESSION = `
local fingerprint = redis.call('HGET', KEYS[1], 'fingerprint')
if fingerprint then
  if fingerprint == ARGV[1] then
    return {'duplicate', redis.call('HGET', KEYS[1], 'expiresAt') or ARGV[4]}
  end
  return {'conflict', ARGV[4]}
end
if redis.call('SCARD', KEYS[2]) == 0 then
  return {'no_device', ARGV[4]}
end
redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], unpack(ARGV, 7))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
if redis.call('TTL', KEYS[3]) < tonumber(ARGV[2]) then
  redis.call('EXPIRE', KEYS[3], ARGV[2])
end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return {'created', ARGV[4]}
`;

/**
 * Moves a PENDING session to a terminal state, once.
 * KEYS: session, pending index of the customer
 * ARGV: new state, settledAtMs, sessionId, events channel, event, then field/value pairs to record with it
 * Publishes the event only when this call settles the session.
 * Returns {outcome, state}: outcome is settled | already | missing.
 */
export const SETTLE_SESSION = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return {'missing', ''}
end
if state ~= 'PENDING' then
  return {'already', state}
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'settledAt', ARGV[2], unpack(ARGV, 6))
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return {'settled', ARGV[1]}
`;

/**
 * Records how the callback ended, once, and shortens the session's life: Enfuce has
 * its answer, and the summary is in Postgres.
 * KEYS: session
 * ARGV: outcome, settledAtMs, ttlSeconds, events channel, event
 * Publishes the event only when recorded.
 * Returns 1 when recorded, 0 when it had been recorded already or the session is gone.
 */
export const SETTLE_CALLBACK = `
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'callbackOutcome') == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'callbackOutcome', ARGV[1], 'callbackSettledAt', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;
