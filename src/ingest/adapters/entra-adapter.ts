/**
 * Microsoft Entra ID sign-in, audit and ID Protection logs as native events
 * (docs/adapters/entra.md). One adapter reads the three shapes vendors
 * deliver: Microsoft Graph resources (`signIn`, `directoryAudit`,
 * `riskDetection`, `riskyUser`; the reader unwraps `value`), Azure Monitor
 * diagnostic-settings / Event Hub records (`category` + `properties`; the
 * reader unwraps `records`) and Log Analytics / Sentinel rows (`SigninLogs`,
 * `AADNonInteractiveUserSignInLogs`, `AuditLogs`, `AADUserRiskEvents`,
 * `AADRiskyUsers`: PascalCase columns, nested values possibly JSON strings).
 * Panther's data-lake form (lower-cased keys, zone-less times) is read too.
 *
 * @example
 * const outcome = entraAdapter.adapt(
 *   { id: 's-1', createdDateTime: '2026-01-05T10:00:00Z', userPrincipalName: 'Ana@Example.com',
 *     ipAddress: '203.0.113.7', status: { errorCode: 50126 } },
 *   { tenant: 'default' },
 * );
 * // { kind: 'events', events: [{ id: 'entra:s-1', time: '2026-01-05T10:00:00.000Z',
 * //   type: 'signin', outcome: 'failure', account: { id: 'ana@example.com', email: … }, … }] }
 */
import type { AdaptContext, AdaptOutcome, Adapter } from './adapter.js';
import { mapAudit } from './entra/entra-audit-mapping.js';
import { arrayOf, field, objectOf, textOf } from './entra/entra-fields.js';
import { mapRiskDetection, mapRiskyUser } from './entra/entra-risk-mapping.js';
import { mapSignin } from './entra/entra-signin-mapping.js';
import { isObject } from '../field-checks.js';

type RecordKind = 'signin' | 'audit' | 'riskDetection' | 'riskyUser' | 'notUser';

/** Azure Monitor `category` values and Sentinel `Type` tables, lower-cased. */
const KINDS: ReadonlyMap<string, RecordKind> = new Map<string, RecordKind>([
  ['signinlogs', 'signin'],
  ['noninteractiveusersigninlogs', 'signin'],
  ['aadnoninteractiveusersigninlogs', 'signin'],
  ['serviceprincipalsigninlogs', 'notUser'],
  ['microsoftserviceprincipalsigninlogs', 'notUser'],
  ['managedidentitysigninlogs', 'notUser'],
  ['aadserviceprincipalsigninlogs', 'notUser'],
  ['aadmanagedidentitysigninlogs', 'notUser'],
  ['auditlogs', 'audit'],
  ['userriskevents', 'riskDetection'],
  ['aaduserriskevents', 'riskDetection'],
  ['riskyusers', 'riskyUser'],
  ['aadriskyusers', 'riskyUser'],
]);

/** Graph `signInEventTypes` that are not a person signing in. */
const NOT_USER_EVENT_TYPES = new Set(['serviceprincipal', 'managedidentity']);

interface Classified {
  readonly kind: RecordKind | 'other';
  /** The resource: `properties` of an Azure Monitor record, else the record. */
  readonly body: unknown;
  /** The vendor's name for what the record is, for skip reasons. */
  readonly name: string;
}

function classify(record: Readonly<Record<string, unknown>>): Classified {
  const properties = objectOf(field(record, 'properties'));
  const category = textOf(field(record, 'category'));
  const table = textOf(field(record, 'Type'));
  const envelope = properties !== undefined && (category !== undefined || isAzureResource(record));
  const body = envelope ? properties : record;
  for (const name of envelope ? [category] : [table, category]) {
    const kind = name === undefined ? undefined : KINDS.get(name.toLowerCase());
    if (kind !== undefined && name !== undefined) return { kind, body, name: `category ${name}` };
  }
  const inferred = inferKind(body);
  if (inferred !== undefined) return { kind: inferred, body, name: inferred };
  return { kind: 'other', body, name: `category ${category ?? table ?? 'unknown'}` };
}

/** What a resource is from its own fields (Graph resources, and Panther's re-categorised audits). */
function inferKind(body: unknown): RecordKind | undefined {
  if (field(body, 'activityDisplayName') !== undefined) return 'audit';
  if (field(body, 'riskEventType') !== undefined && field(body, 'detectedDateTime') !== undefined) {
    return 'riskDetection';
  }
  if (field(body, 'riskLastUpdatedDateTime') !== undefined) return 'riskyUser';
  if (
    field(body, 'createdDateTime') !== undefined &&
    (field(body, 'userPrincipalName') !== undefined || field(body, 'status') !== undefined)
  ) {
    return 'signin';
  }
  return undefined;
}

function isAzureResource(record: unknown): boolean {
  return /microsoft\.aadiam/i.test(textOf(field(record, 'resourceId')) ?? '');
}

/** A service-principal or managed-identity sign-in delivered as a Graph resource or row. */
function isNotUserSignin(body: unknown): boolean {
  const types = arrayOf(field(body, 'signInEventTypes'));
  if (types.some((t) => NOT_USER_EVENT_TYPES.has(textOf(t)?.toLowerCase() ?? ''))) return true;
  return (
    field(body, 'userPrincipalName') === undefined &&
    field(body, 'userId') === undefined &&
    textOf(field(body, 'servicePrincipalId')) !== undefined
  );
}

export const entraAdapter: Adapter = {
  format: 'entra',
  vendor: 'Microsoft Entra ID',

  detect(record: unknown): boolean {
    if (!isObject(record)) return false;
    const { kind, body } = classify(record);
    if (kind === 'other') return false;
    if (body !== record) return true; // an Azure Monitor record with an Entra category or resource
    const table = textOf(field(record, 'Type'));
    if (table !== undefined && KINDS.has(table.toLowerCase())) return true;
    // A Graph resource: fields only Entra's resources carry together.
    const has = (name: string): boolean => field(record, name) !== undefined;
    return (
      (kind === 'signin' && has('userPrincipalName') && (has('status') || has('appDisplayName'))) ||
      (kind === 'audit' && has('loggedByService') && has('activityDateTime')) ||
      (kind === 'riskDetection' && has('userPrincipalName')) ||
      (kind === 'riskyUser' && has('riskLevel') && has('userPrincipalName'))
    );
  },

  adapt(record: unknown, _context: AdaptContext): AdaptOutcome {
    if (!isObject(record)) {
      return { kind: 'malformed', message: 'An Entra record must be a JSON object.' };
    }
    const { kind, body, name } = classify(record);
    switch (kind) {
      case 'notUser':
        return { kind: 'skip', reason: `entra ${name}` };
      case 'signin':
        if (isNotUserSignin(body)) return { kind: 'skip', reason: 'entra signIn servicePrincipal' };
        return mapSignin(body, record, record);
      case 'audit':
        return mapAudit(body, record, record);
      case 'riskDetection':
        return mapRiskDetection(body, record, record);
      case 'riskyUser':
        return mapRiskyUser(body, record, record);
      case 'other':
        if (body !== record) return { kind: 'skip', reason: `entra ${name}` };
        return {
          kind: 'malformed',
          message:
            'Not an Entra ID record: no sign-in, audit or risk fields, and no Azure Monitor category.',
        };
    }
  },
};
