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

export class ApiKeyService {
  constructor(private readonly keys: ApiKeyRepository) {}

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
    const identity = API_KEY_PATTERN.test(presented) ? await this.keys.findByHash(hashApiKey(presented)) : null;
    if (!identity || (await this.keys.isRevoked(identity.id))) throw new ProblemError('unauthorized', 'the API key is not valid');
    return identity;
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
