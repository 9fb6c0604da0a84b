import type { Response } from 'supertest';
import type { AssentUnderTest } from './assent-under-test';

export type ErrorType = 'STATIC_VALIDATION_ERROR' | 'DYNAMIC_VALIDATION_ERROR' | 'INTEGRATION_ERROR' | 'SECURITY_ERROR' | 'UNEXPECTED_ERROR';

export interface ExpectedError {
  errorType: ErrorType;
  /** Exact errorCode; any non-empty string when left out. */
  errorCode?: string;
  /** Exact errorReason, or a pattern it must match; any non-empty string when left out. */
  errorReason?: string | RegExp;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The full errorResponse shape, nothing more and nothing less, with the id in an API's log. */
export async function expectErrorResponse(system: AssentUnderTest, response: Response, status: number, fields: ExpectedError): Promise<void> {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: {
      code: String(status),
      message: expect.stringMatching(/\S/),
      id: expect.stringMatching(UUID),
      errorCode: fields.errorCode ?? expect.stringMatching(/\S/),
      errorType: fields.errorType,
      errorReason:
        fields.errorReason instanceof RegExp
          ? expect.stringMatching(fields.errorReason)
          : (fields.errorReason ?? expect.stringMatching(/\S/)),
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
    },
  });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(Math.abs(Date.parse(response.body.timestamp) - Date.now())).toBeLessThan(60_000);
  // Contract: the id "also appears in the log line for that request", in whichever API answered it.
  const logs = () => system.apis.map((api) => api.logs).join('\n');
  const deadline = Date.now() + 3000;
  while (!logs().includes(response.body.id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(logs()).toContain(response.body.id);
}
