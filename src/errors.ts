/**
 * The one error catalog: stable code, default message, HTTP status.
 * `docs/errors.md` lists the same codes; test/errors.test.ts keeps them in step.
 *
 * @example
 * throw new TriplineError('NOT_FOUND', 'no campaign cmp-9');
 */
export const ERRORS = {
  INVALID_JSON: { status: 400, message: 'The body is not valid JSON' },
  INVALID_EVENT: { status: 400, message: 'The event is not valid' },
  INVALID_REQUEST: { status: 400, message: 'The request is not valid' },
  UNAUTHORIZED: { status: 401, message: 'Missing or invalid API key' },
  FORBIDDEN: { status: 403, message: 'The API key lacks the scope for this request' },
  NOT_FOUND: { status: 404, message: 'No such resource' },
  BODY_TOO_LARGE: { status: 413, message: 'The body is larger than the limit' },
  BATCH_TOO_LARGE: { status: 413, message: 'The batch holds more events than the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Content-Type' },
  OVERLOADED: { status: 503, message: 'The writer queue is full; retry later' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class TriplineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message?: string, field?: string) {
    super(message ?? ERRORS[code].message);
    this.name = 'TriplineError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.field = field;
  }
}

/** The JSON error body of DESIGN.md. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly field?: string };
}

export function errorBody(code: ErrorCode, message?: string, field?: string): ErrorBody {
  return {
    error: { code, message: message ?? ERRORS[code].message, ...(field ? { field } : {}) },
  };
}
