/** Issuing API keys and authenticating requests with them. */
import { randomBytes } from 'node:crypto';
import { ProblemError } from '../problem/problem';
import { hashApiKey, type ApiKeyIdentity, type ApiKeyRecord, type ApiKeyRepository } from '../repositories/api-key-repository';

export interface IssuedApiKey extends ApiKeyIdentity {
  /** `fx_…`: shown once, never stored. */
  key: string;
  /** The tenant's Standard Webhooks signing secret. */
  webhookSecret: string;
}

const API_KEY_PATTERN = /^fx_[0-9a-f]{48}$/;

/** The presented key from `Authorization: Bearer fx_…` or `X-API-Key: fx_…`; null when neither is sent. */
export function presentedApiKey(headers: Record<string, string | string[] | undefined>): string | null {
  const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
  const authorization = single(headers['authorization']);
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? single(headers['x-api-key'])?.trim() ?? null;
}

export interface ApiKeyCacheSettings {
  /** How long a key found in Redis is trusted without asking again: the bound on a revocation's delay. */
  ttlMs: number;
  /** Most keys remembered (least recently found dropped first). */
  maxEntries: number;
  now?: () => number;
}

/**
 * Keys found in Redis, remembered for a few seconds: every request authenticates, and an in-process hit
 * saves a round trip per request. Unknown keys are never remembered, so a key issued by another replica
 * works at once.
 */
class FoundKeys {
  private readonly entries = new Map<string, { identity: ApiKeyIdentity; expiresAt: number }>();

  constructor(private readonly settings: ApiKeyCacheSettings) {}

  private now(): number {
    return (this.settings.now ?? Date.now)();
  }

  get(hash: string): ApiKeyIdentity | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    this.entries.delete(hash);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(hash, entry);
    return entry.identity;
  }

  /** Drops a key revoked through this process, so it stops working here at once (elsewhere within ttlMs). */
  forget(id: string): void {
    for (const [hash, entry] of this.entries) if (entry.identity.id === id) this.entries.delete(hash);
  }

  set(hash: string, identity: ApiKeyIdentity): void {
    this.entries.delete(hash);
    this.entries.set(hash, { identity, expiresAt: this.now() + this.settings.ttlMs });
    if (this.entries.size > this.settings.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

export class ApiKeyService {
  private readonly found: FoundKeys;

  constructor(
    private readonly keys: ApiKeyRepository,
    cache: ApiKeyCacheSettings = { ttlMs: 0, maxEntries: 0 },
  ) {
    this.found = new FoundKeys(cache);
  }

  async issue(name: string, options: { admin?: boolean } = {}): Promise<IssuedApiKey> {
    const identity: ApiKeyIdentity = { id: `key_${randomBytes(10).toString('hex')}`, name, ...(options.admin ? { admin: true } : {}) };
    const key = `fx_${randomBytes(24).toString('hex')}`;
    const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
    await this.keys.create(identity, hashApiKey(key), webhookSecret);
    return { ...identity, key, webhookSecret };
  }

  /** The key's identity; ProblemError('unauthorized') when missing, malformed or unknown. */
  async authenticate(presented: string | null): Promise<ApiKeyIdentity> {
    if (presented === null) throw new ProblemError('unauthorized', 'send an API key as `Authorization: Bearer fx_…` or `X-API-Key`');
    if (!API_KEY_PATTERN.test(presented)) throw new ProblemError('unauthorized', 'the API key is not valid');
    const hash = hashApiKey(presented);
    const cached = this.found.get(hash);
    const identity = cached ?? (await this.keys.findByHash(hash));
    // Revocation deletes the key's record; keys made before its hash was kept on the tenant are checked here.
    if (!identity || (!cached && (await this.keys.isRevoked(identity.id)))) throw new ProblemError('unauthorized', 'the API key is not valid');
    this.found.set(hash, identity);
    return identity;
  }

  /** A new key, issued by an admin key; ProblemError('forbidden') for other keys. */
  async create(caller: ApiKeyIdentity, request: { name: string; admin?: boolean }): Promise<IssuedApiKey & { admin: boolean }> {
    this.requireAdmin(caller);
    const admin = request.admin === true;
    return { ...(await this.issue(request.name, { admin })), admin };
  }

  /** Every key (an admin key's view); ProblemError('forbidden') for other keys. */
  async list(caller: ApiKeyIdentity): Promise<ApiKeyRecord[]> {
    this.requireAdmin(caller);
    return this.keys.list();
  }

  /** Revokes a key (an admin key may); ProblemError('not_found') for an unknown or already revoked one. */
  async revoke(caller: ApiKeyIdentity, id: string): Promise<void> {
    this.requireAdmin(caller);
    if (!/^key_[0-9a-f]{20}$/.test(id) || !(await this.keys.revoke(id))) throw new ProblemError('not_found', `no active key ${id}`);
    this.found.forget(id);
  }

  /** Revocation from the operator's CLI (no caller key). */
  async revokeAsOperator(id: string): Promise<boolean> {
    return this.keys.revoke(id);
  }

  listAsOperator(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  private requireAdmin(caller: ApiKeyIdentity): void {
    if (!caller.admin) throw new ProblemError('forbidden', 'only an admin key may manage keys (facex keys create --admin)');
  }

  /** The key's name and creation time (GET /v1/account). */
  async account(tenant: string): Promise<{ id: string; name: string; createdAt: string }> {
    const record = await this.keys.tenant(tenant);
    if (!record) throw new ProblemError('not_found', 'this key has no account record');
    return { id: tenant, ...record };
  }

  async webhookSecret(tenant: string): Promise<string> {
    const secret = await this.keys.webhookSecret(tenant);
    if (!secret) throw new ProblemError('not_found', 'this key has no webhook secret');
    return secret;
  }
}
