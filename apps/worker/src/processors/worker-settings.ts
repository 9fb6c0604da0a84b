// A killed worker's jobs are found by the others after at most stalledInterval +
// lockDuration; BullMQ's defaults (30 s each) would eat most of Enfuce's 150 s.
export const FAST_STALL_RECOVERY = {
  lockDuration: 5_000,
  stalledInterval: 2_000,
  maxStalledCount: 3,
} as const;
