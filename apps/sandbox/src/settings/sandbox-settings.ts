import { z } from 'zod';

/**
 * What a tester may change while the sandbox runs (`PUT /sandbox/settings`): the
 * faults of the parties outside the product. Each Enfuce ID session keeps the
 * settings it started with, so changing them never affects a purchase in flight.
 */
export interface SandboxSettings {
  enfuce: {
    /** Seconds after its webhook that Enfuce ID stops accepting a callback and tells the ACS TIMEOUT (seed 000: 150). */
    deadlineSeconds: number;
    callbackFaults: CallbackFaults;
  };
  directoryServer: {
    /** How long the directory server takes to answer an AReq; beyond the 3-D Secure server's timeout it "does not answer". */
    delayMs: number;
  };
}

/** Per session, in this order: the first `dropFirst` callbacks lose their connection, the next `unavailableFirst` get 503; every answer waits `slowMs`. */
export interface CallbackFaults {
  dropFirst: number;
  unavailableFirst: number;
  slowMs: number;
}

const count = z.number().int().min(0).max(100);

export const settingsUpdateSchema = z.strictObject({
  enfuce: z
    .strictObject({
      deadlineSeconds: z.number().int().min(1).max(600).optional(),
      callbackFaults: z
        .strictObject({ dropFirst: count.optional(), unavailableFirst: count.optional(), slowMs: z.number().int().min(0).max(60000).optional() })
        .optional(),
    })
    .optional(),
  directoryServer: z.strictObject({ delayMs: z.number().int().min(0).max(60000).optional() }).optional(),
});

export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;

export function defaultSettings(deadlineSeconds: number): SandboxSettings {
  return {
    enfuce: { deadlineSeconds, callbackFaults: { dropFirst: 0, unavailableFirst: 0, slowMs: 0 } },
    directoryServer: { delayMs: 0 },
  };
}

export function applySettings(current: SandboxSettings, update: SettingsUpdate): SandboxSettings {
  return {
    enfuce: {
      deadlineSeconds: update.enfuce?.deadlineSeconds ?? current.enfuce.deadlineSeconds,
      callbackFaults: { ...current.enfuce.callbackFaults, ...update.enfuce?.callbackFaults },
    },
    directoryServer: { ...current.directoryServer, ...update.directoryServer },
  };
}

/** The settings in force; the parties read them when a purchase starts. */
export class SettingsStore {
  private settings: SandboxSettings;

  constructor(initial: SandboxSettings) {
    this.settings = initial;
  }

  get current(): SandboxSettings {
    return this.settings;
  }

  update(update: SettingsUpdate): SandboxSettings {
    this.settings = applySettings(this.settings, update);
    return this.settings;
  }
}
