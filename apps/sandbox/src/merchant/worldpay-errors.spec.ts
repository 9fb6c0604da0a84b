import { z } from 'zod';
import { bodyDoesNotMatchSchema } from './worldpay-errors';

const schema = z.object({
  merchant: z.object({ entity: z.string() }),
  value: z.object({ amount: z.number().int(), currency: z.enum(['EUR']) }),
  reference: z.string(),
});

function errorsOf(body: unknown) {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('accepted');
  return bodyDoesNotMatchSchema(body, parsed.error.issues).validationErrors;
}

describe('bodyDoesNotMatchSchema', () => {
  it('names each problem with Worldpay’s error names at its jsonPath', () => {
    expect(errorsOf({ merchant: {}, value: { amount: 1.5, currency: 'SEK' }, reference: 7 })).toEqual([
      { errorName: 'fieldIsMissing', message: 'Is missing', jsonPath: '$.merchant.entity' },
      { errorName: 'fieldMustBeInteger', message: 'Must be an integer', jsonPath: '$.value.amount' },
      { errorName: 'fieldHasInvalidValue', message: expect.any(String), jsonPath: '$.value.currency' },
      { errorName: 'fieldMustBeString', message: 'Must be a string', jsonPath: '$.reference' },
    ]);
  });

  it('calls a missing object missing, and an object of the wrong type not an object', () => {
    expect(errorsOf({ value: 'x', reference: 'r' })).toEqual([
      { errorName: 'fieldIsMissing', message: 'Is missing', jsonPath: '$.merchant' },
      { errorName: 'fieldMustBeObject', message: 'Must be an object', jsonPath: '$.value' },
    ]);
  });
});
