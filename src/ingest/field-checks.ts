/**
 * Small field checkers shared by the event and directory-record validators.
 * Each pushes a {@link Problem} naming the field and returns the checked value
 * (or undefined), so a validator reports every problem of a record at once.
 */
import { isIP } from 'node:net';
import type { Problem } from '../domain/validation.js';

export type Json = unknown;

export function isObject(v: Json): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: Json): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

const MAX_STRING = 4096;

export function optionalString(
  v: Json,
  field: string,
  problems: Problem[],
  max = MAX_STRING,
): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    problems.push({ field, reason: `must be a string, got ${describe(v)}` });
    return undefined;
  }
  if (v.length === 0) {
    problems.push({ field, reason: 'must not be empty' });
    return undefined;
  }
  if (v.length > max) {
    problems.push({ field, reason: `longer than ${max} characters` });
    return undefined;
  }
  return v;
}

export function requiredString(
  v: Json,
  field: string,
  problems: Problem[],
  max = MAX_STRING,
): string | undefined {
  if (v === undefined || v === null) {
    problems.push({ field, reason: 'required' });
    return undefined;
  }
  return optionalString(v, field, problems, max);
}

export function optionalEnum<T extends string>(
  v: Json,
  allowed: readonly T[],
  field: string,
  problems: Problem[],
): T | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  problems.push({ field, reason: unknownValue(v, allowed) });
  return undefined;
}

/** `unknown value "singin" (did you mean "signin"?)` */
export function unknownValue(v: Json, allowed: readonly string[]): string {
  if (typeof v !== 'string') {
    return `must be one of ${allowed.join(', ')}; got ${describe(v)}`;
  }
  const shown = JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  const near = closest(v, allowed);
  return near ? `unknown value ${shown} (did you mean "${near}"?)` : `unknown value ${shown}`;
}

function closest(v: string, allowed: readonly string[]): string | undefined {
  const lower = v.toLowerCase();
  if (lower.length >= 2) {
    const prefixed = allowed.find((a) => a.startsWith(lower) || a.startsWith(`${lower}_`));
    if (prefixed) return prefixed;
  }
  let best: string | undefined;
  let bestDistance = 3;
  for (const a of allowed) {
    const d = editDistance(v.toLowerCase(), a);
    if (d < bestDistance) {
      bestDistance = d;
      best = a;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function optionalStringArray(
  v: Json,
  field: string,
  problems: Problem[],
  maxItems = 64,
  maxLength = 128,
): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    problems.push({ field, reason: `must be an array of strings, got ${describe(v)}` });
    return undefined;
  }
  if (v.length > maxItems) {
    problems.push({ field, reason: `more than ${maxItems} items` });
    return undefined;
  }
  for (let i = 0; i < v.length; i++) {
    optionalString(v[i], `${field}[${i}]`, problems, maxLength);
    if (v[i] === null || v[i] === undefined) {
      problems.push({ field: `${field}[${i}]`, reason: 'must be a string, got null' });
    }
  }
  return v as string[];
}

/** Returns the object, undefined when absent, or records a problem when it is not an object. */
export function optionalObject(
  v: Json,
  field: string,
  problems: Problem[],
): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    problems.push({ field, reason: `must be an object, got ${describe(v)}` });
    return undefined;
  }
  return v;
}

export function optionalIp(v: Json, field: string, problems: Problem[]): string | undefined {
  const s = optionalString(v, field, problems, 64);
  if (s === undefined) return undefined;
  if (isIP(s) === 0) {
    problems.push({ field, reason: `not an IPv4 or IPv6 address: ${JSON.stringify(s)}` });
    return undefined;
  }
  return s;
}

/** `account` as events and directory records share it: an object with a required `id`. */
export function checkAccount(account: Json, problems: Problem[]): void {
  if (account === undefined || account === null) {
    problems.push({ field: 'account', reason: 'required' });
  } else if (!isObject(account)) {
    problems.push({ field: 'account', reason: `must be an object, got ${describe(account)}` });
  } else {
    requiredString(account.id, 'account.id', problems, 256);
    optionalString(account.email, 'account.email', problems, 320);
    optionalStringArray(account.tags, 'account.tags', problems);
  }
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function optionalTenant(v: Json, field: string, problems: Problem[]): string | undefined {
  const s = optionalString(v, field, problems, 64);
  if (s !== undefined && !TENANT.test(s)) {
    problems.push({
      field,
      reason: 'must be 1-64 characters of letters, digits, ".", "_" or "-"',
    });
    return undefined;
  }
  return s;
}
