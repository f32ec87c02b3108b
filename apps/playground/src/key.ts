/**
 * The API key the page uses: from the link `npm start` prints (`#key=…`, a fragment the browser never sends),
 * else what the user entered; kept in sessionStorage for this tab only, and removed from the address bar.
 */
const STORAGE_KEY = 'facex.apiKey';

export function initialKey(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) {
    history.replaceState(null, '', location.pathname + location.search);
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

export function rememberKey(key: string): void {
  if (key) sessionStorage.setItem(STORAGE_KEY, key);
  else sessionStorage.removeItem(STORAGE_KEY);
}
