import { applySettings, defaultSettings, settingsUpdateSchema } from './sandbox-settings';

describe('sandbox settings', () => {
  it('start with Enfuce ID’s configured deadline and no faults', () => {
    expect(defaultSettings(150)).toEqual({
      enfuce: { deadlineSeconds: 150, callbackFaults: { dropFirst: 0, unavailableFirst: 0, slowMs: 0 } },
      directoryServer: { delayMs: 0 },
    });
  });

  it('change only what an update names', () => {
    const changed = applySettings(defaultSettings(150), { enfuce: { callbackFaults: { unavailableFirst: 2 } } });
    expect(changed).toEqual({
      enfuce: { deadlineSeconds: 150, callbackFaults: { dropFirst: 0, unavailableFirst: 2, slowMs: 0 } },
      directoryServer: { delayMs: 0 },
    });
  });

  it('refuse unknown fields and values out of range', () => {
    expect(settingsUpdateSchema.safeParse({ enfuce: { deadline: 3 } }).success).toBe(false);
    expect(settingsUpdateSchema.safeParse({ enfuce: { deadlineSeconds: 0 } }).success).toBe(false);
    expect(settingsUpdateSchema.safeParse({ directoryServer: { delayMs: -1 } }).success).toBe(false);
  });
});
