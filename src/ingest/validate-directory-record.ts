/**
 * Validation of directory records (DESIGN.md): an account and its recovery set-up.
 *
 * @example
 * validateDirectoryRecord({ account: { id: 'u-42' }, recovery: [{ channel: 'fax' }] });
 * // { ok: false, problems: [{ field: 'recovery[0].channel', reason: 'unknown value "fax"' }] }
 */
import { DEFAULT_TENANT, RECOVERY_CHANNELS } from '../domain/event.js';
import type { DirectoryRecord, RecoveryMethod } from '../domain/directory-record.js';
import type { Problem, Validation } from '../domain/validation.js';
import {
  describe,
  isObject,
  optionalEnum,
  optionalString,
  optionalStringArray,
  optionalTenant,
  checkAccount,
} from './field-checks.js';

const MAX_RECOVERY_METHODS = 64;

export function validateDirectoryRecord(
  input: unknown,
  options: { defaultTenant?: string } = {},
): Validation<DirectoryRecord> {
  if (!isObject(input)) {
    return {
      ok: false,
      problems: [{ field: '', reason: `record must be a JSON object, got ${describe(input)}` }],
    };
  }
  const problems: Problem[] = [];
  const tenant = optionalTenant(input.tenant, 'tenant', problems);
  const account = input.account;
  checkAccount(account, problems);

  const recovery: RecoveryMethod[] = [];
  if (input.recovery !== undefined && input.recovery !== null) {
    if (!Array.isArray(input.recovery)) {
      problems.push({
        field: 'recovery',
        reason: `must be an array, got ${describe(input.recovery)}`,
      });
    } else if (input.recovery.length > MAX_RECOVERY_METHODS) {
      problems.push({ field: 'recovery', reason: `more than ${MAX_RECOVERY_METHODS} items` });
    } else {
      input.recovery.forEach((item: unknown, i: number) => {
        const field = `recovery[${i}]`;
        if (!isObject(item)) {
          problems.push({ field, reason: `must be an object, got ${describe(item)}` });
          return;
        }
        if (item.channel === undefined || item.channel === null) {
          problems.push({ field: `${field}.channel`, reason: 'required' });
          return;
        }
        const channel = optionalEnum(item.channel, RECOVERY_CHANNELS, `${field}.channel`, problems);
        const address = optionalString(item.address, `${field}.address`, problems, 320);
        if (channel) recovery.push(address === undefined ? { channel } : { channel, address });
      });
    }
  }
  const mfa = optionalStringArray(input.mfa, 'mfa', problems, 16, 32) ?? [];

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      ...input,
      tenant: tenant ?? options.defaultTenant ?? DEFAULT_TENANT,
      account: account as DirectoryRecord['account'],
      recovery,
      mfa,
    },
  };
}
