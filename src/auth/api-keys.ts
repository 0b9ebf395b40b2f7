/**
 * API keys: created once and shown once, stored only as an scrypt hash,
 * checked in constant time.
 *
 * A key reads `tl_<id>_<secret>`: the id finds the stored hash without a scan,
 * the secret (32 random bytes) is what the hash protects. scrypt is slow on
 * purpose, so a key verified once is remembered (by a SHA-256 of the key, in
 * memory only) for a short while; revocation through this process takes effect
 * at once, through another process within `rowTtlMs`.
 *
 * @example
 * const keys = new ApiKeys(store);
 * const { key } = await keys.create({ scope: 'ingest', name: 'collector' });
 * const auth = await keys.authenticate(`Bearer ${key}`, 'ingest'); // { ok: true, ... }
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRow, ApiScope, Store } from '../store/port.js';

export const API_SCOPES = ['ingest', 'read', 'admin'] as const satisfies readonly ApiScope[];

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
const KEY_FORMAT = /^tl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export type AuthResult =
  { ok: true; key: ApiKeyRow } | { ok: false; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string };

/** admin may do everything; ingest and read only their own. */
export function scopeAllows(have: ApiScope, need: ApiScope): boolean {
  return have === 'admin' || have === need;
}

function scryptAsync(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      secret,
      salt,
      SCRYPT.keylen,
      { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 },
      (error, derived) => (error ? reject(error) : resolve(derived)),
    ),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const derived = await scryptAsync(secret, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${derived.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, hashText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashText, 'base64');
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      secret,
      Buffer.from(saltText, 'base64'),
      expected.length,
      { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 },
      (error, d) => (error ? reject(error) : resolve(d)),
    ),
  );
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

export class ApiKeys {
  readonly #store: Store;
  readonly #rowTtlMs: number;
  /** key id → row and when it was read */
  readonly #rows = new Map<string, { row: ApiKeyRow | undefined; at: number }>();
  /** key id → SHA-256 of a key already verified against the scrypt hash */
  readonly #verified = new Map<string, Buffer>();

  constructor(store: Store, options: { rowTtlMs?: number } = {}) {
    this.#store = store;
    this.#rowTtlMs = options.rowTtlMs ?? 2000;
  }

  async create(options: {
    scope: ApiScope;
    name?: string;
  }): Promise<{ key: string; row: ApiKeyRow }> {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row: ApiKeyRow = {
      id,
      name: options.name ?? `${options.scope}-key`,
      scope: options.scope,
      hash: await hashSecret(secret),
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.#store.createApiKey(row);
    return { key: `tl_${id}_${secret}`, row };
  }

  list(): Promise<ApiKeyRow[]> {
    return this.#store.listApiKeys();
  }

  async revoke(id: string): Promise<boolean> {
    const done = await this.#store.revokeApiKey(id, new Date().toISOString());
    this.#rows.delete(id);
    this.#verified.delete(id);
    return done;
  }

  async #row(id: string): Promise<ApiKeyRow | undefined> {
    const cached = this.#rows.get(id);
    const now = Date.now();
    if (cached && now - cached.at < this.#rowTtlMs) return cached.row;
    const row = await this.#store.findApiKey(id);
    this.#rows.set(id, { row, at: now });
    return row;
  }

  /** Checks an `Authorization` header value against the scope a request needs. */
  async authenticate(header: string | undefined, need: ApiScope): Promise<AuthResult> {
    if (!header) {
      return { ok: false, code: 'UNAUTHORIZED', message: 'missing Authorization: Bearer <key>' };
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const parsed = match ? KEY_FORMAT.exec(match[1]!) : null;
    if (!parsed) {
      return { ok: false, code: 'UNAUTHORIZED', message: 'malformed API key' };
    }
    const [, id, secret] = parsed as unknown as [string, string, string];
    const row = await this.#row(id);
    const invalid = { ok: false, code: 'UNAUTHORIZED', message: 'invalid API key' } as const;
    if (!row || row.revokedAt) return invalid;

    const digest = createHash('sha256').update(match![1]!).digest();
    const known = this.#verified.get(id);
    if (!(known && timingSafeEqual(known, digest))) {
      if (!(await verifySecret(secret, row.hash))) return invalid;
      this.#verified.set(id, digest);
      void this.#store.touchApiKey(id, new Date().toISOString()).catch(() => {});
    }
    if (!scopeAllows(row.scope, need)) {
      return {
        ok: false,
        code: 'FORBIDDEN',
        message: `this key has scope "${row.scope}"; the request needs "${need}"`,
      };
    }
    return { ok: true, key: row };
  }
}
