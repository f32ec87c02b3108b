/**
 * Whether a retry can help. Errors say so themselves: FacexError carries `retryable` (bad input never is),
 * and so may any other error type (blob missing, edit canceled). Unknown errors are treated as transient.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && 'retryable' in error) return (error as { retryable: unknown }).retryable !== false;
  return true;
}
