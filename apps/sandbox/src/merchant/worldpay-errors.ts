import type { z } from 'zod';
import { jsonPathOf, valueAt } from '@assent/domain';

/** Worldpay Access's error body (seeds 002–003: Response 400 / 502 / 503 fields). */
export interface WorldpayError {
  errorName: string;
  message: string;
  headerName?: string;
  validationErrors?: ValidationError[];
}

export interface ValidationError {
  errorName: string;
  message: string;
  jsonPath: string;
}

/** Every problem with a request body, each at its JSON path (`$.instruction.value.amount`). */
export function bodyDoesNotMatchSchema(body: unknown, issues: z.core.$ZodIssue[]): WorldpayError {
  return {
    errorName: 'bodyDoesNotMatchSchema',
    message: 'The json body provided does not match the expected schema',
    validationErrors: issues.map((issue) => validationErrorOf(body, issue)),
  };
}

export function fieldHasInvalidValue(jsonPath: string, message: string): WorldpayError {
  return {
    errorName: 'bodyDoesNotMatchSchema',
    message: 'The json body provided does not match the expected schema',
    validationErrors: [{ errorName: 'fieldHasInvalidValue', message, jsonPath }],
  };
}

export const ACCESS_DENIED: WorldpayError = { errorName: 'accessDenied', message: 'Access to the requested resource has been denied' };

export const BODY_IS_NOT_JSON: WorldpayError = { errorName: 'bodyIsNotJson', message: 'The body within the request is not valid json' };

export function headerHasInvalidValue(headerName: string, message: string): WorldpayError {
  return { errorName: 'headerHasInvalidValue', message, headerName };
}

function validationErrorOf(body: unknown, issue: z.core.$ZodIssue): ValidationError {
  const jsonPath = jsonPathOf(issue.path);
  if (issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined) return { errorName: 'fieldIsMissing', message: 'Is missing', jsonPath };
  if (issue.code === 'invalid_type') {
    switch (issue.expected) {
      case 'string':
        return { errorName: 'fieldMustBeString', message: 'Must be a string', jsonPath };
      case 'number':
      case 'int':
        return { errorName: 'fieldMustBeInteger', message: 'Must be an integer', jsonPath };
      case 'object':
        return { errorName: 'fieldMustBeObject', message: 'Must be an object', jsonPath };
    }
  }
  return { errorName: 'fieldHasInvalidValue', message: issue.message, jsonPath };
}
