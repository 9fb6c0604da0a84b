import { AuthenticationResult, SessionState, type TerminalState, isTerminal, resultOf } from './session-state';

describe('resultOf', () => {
  it.each([
    [SessionState.Approved, AuthenticationResult.Success, 'SUCCESS'],
    [SessionState.Declined, AuthenticationResult.Fail, 'FAIL'],
    [SessionState.Error, AuthenticationResult.Error, 'ERROR'],
    [SessionState.Timeout, AuthenticationResult.Timeout, 'TIMEOUT'],
  ] as const)('maps %s to the callback result %s', (state, result, wire) => {
    expect(resultOf(state)).toBe(result);
    expect(resultOf(state)).toBe(wire);
  });

  it('maps the terminal states to four distinct results', () => {
    const terminal: TerminalState[] = [SessionState.Approved, SessionState.Declined, SessionState.Error, SessionState.Timeout];
    const results = terminal.map((state) => resultOf(state));
    expect(new Set(results).size).toBe(4);
  });
});

describe('isTerminal', () => {
  it('is false for PENDING', () => {
    expect(isTerminal(SessionState.Pending)).toBe(false);
  });

  it.each([SessionState.Approved, SessionState.Declined, SessionState.Error, SessionState.Timeout])('is true for %s', (state) => {
    expect(isTerminal(state)).toBe(true);
  });
});
