/** Where an authentication session stands. Only PENDING may change, and only once. */
export enum SessionState {
  Pending = 'PENDING',
  Approved = 'APPROVED',
  Declined = 'DECLINED',
  Error = 'ERROR',
  Timeout = 'TIMEOUT',
}

export type TerminalState = Exclude<SessionState, SessionState.Pending>;

/** The result Enfuce ID receives on its callback (seed 000, callbackBody.result). */
export enum AuthenticationResult {
  Success = 'SUCCESS',
  Fail = 'FAIL',
  Error = 'ERROR',
  Timeout = 'TIMEOUT',
}

const RESULT_BY_STATE: Record<TerminalState, AuthenticationResult> = {
  [SessionState.Approved]: AuthenticationResult.Success,
  [SessionState.Declined]: AuthenticationResult.Fail,
  [SessionState.Error]: AuthenticationResult.Error,
  [SessionState.Timeout]: AuthenticationResult.Timeout,
};

export function isTerminal(state: SessionState): state is TerminalState {
  return state !== SessionState.Pending;
}

export function resultOf(state: TerminalState): AuthenticationResult {
  return RESULT_BY_STATE[state];
}

export type DeclineReason = 'not_me' | 'other';
