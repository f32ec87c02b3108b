import { FacexError, isFacexError, type ErrorCode } from '@facex/contracts';

/** An error as plain data, to cross a thread boundary; typed errors keep their code and details. */
export interface SerializedError {
  message: string;
  code?: ErrorCode;
  details?: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (isFacexError(error)) return { message: error.message, code: error.code, details: error.details };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** A typed error comes back typed; anything else as a plain Error with its message. */
export function deserializeError(error: SerializedError): Error {
  return error.code ? new FacexError(error.code, error.message, error.details) : new Error(error.message);
}
