/**
 * Typed errors of @facex/client. A non-2xx answer becomes a FacexApiError built from its RFC 9457 problem
 * details (the gateway answers every error as application/problem+json); the subclass follows the status so
 * callers can `catch (e) { if (e instanceof RateLimitedError) … }` without comparing numbers.
 */
import type { components } from './generated/openapi.js';

export type Problem = components['schemas']['Problem'];

export class FacexApiError extends Error {
  override readonly name: string = 'FacexApiError';
  /** The problem's `code` (`/docs/problems#<code>`), or `http_<status>` when the body was not a problem. */
  readonly code: string;
  /** The request field at fault, when the gateway named one. */
  readonly field: string | undefined;
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** Seconds from `Retry-After`, when the answer carried one. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${problem.title}${problem.detail ? `: ${problem.detail}` : ''} (${status})`);
    this.code = problem.code;
    this.field = problem.field;
  }
}

/** 401: the API key is missing or invalid. */
export class UnauthorizedError extends FacexApiError {
  override readonly name = 'UnauthorizedError';
}
/** 404: no such asset or edit for this key. */
export class NotFoundError extends FacexApiError {
  override readonly name = 'NotFoundError';
}
/** 409/410: the edit is not in a state that allows the call (not completed, already finished, result expired). */
export class ConflictError extends FacexApiError {
  override readonly name = 'ConflictError';
}
/** 413/415/422: the request was refused; `field` names the culprit. */
export class InvalidRequestError extends FacexApiError {
  override readonly name = 'InvalidRequestError';
}
/** 429 after the client's retries ran out. */
export class RateLimitedError extends FacexApiError {
  override readonly name = 'RateLimitedError';
}
/** 503 after the client's retries ran out: the job store is unavailable. */
export class UnavailableError extends FacexApiError {
  override readonly name = 'UnavailableError';
}

/** A webhook whose signature, timestamp or headers do not verify (Standard Webhooks). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterSeconds(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const isProblem = (body: unknown): body is Problem =>
  typeof body === 'object' && body !== null && typeof (body as Problem).title === 'string' && typeof (body as Problem).code === 'string';

/** The typed error of an answer whose body has been parsed (`body`: the parsed JSON, or the text). */
export function apiErrorOf(response: Response, body: unknown): FacexApiError {
  const { status } = response;
  const problem: Problem = isProblem(body)
    ? body
    : {
        type: 'about:blank',
        title: response.statusText || `HTTP ${status}`,
        status,
        detail: typeof body === 'string' ? body.slice(0, 500) : '',
        code: `http_${status}`,
      };
  const retryAfter = retryAfterSeconds(response.headers);
  const ErrorClass =
    status === 401
      ? UnauthorizedError
      : status === 404
        ? NotFoundError
        : status === 409 || status === 410
          ? ConflictError
          : status === 413 || status === 415 || status === 422 || status === 400
            ? InvalidRequestError
            : status === 429
              ? RateLimitedError
              : status === 503
                ? UnavailableError
                : FacexApiError;
  return new ErrorClass(status, problem, retryAfter);
}

/** Reads an error answer's body (problem+json or anything else) into its typed error. */
export async function apiErrorFromResponse(response: Response): Promise<FacexApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text as the detail
  }
  return apiErrorOf(response, body);
}
