/**
 * The Microsoft 365 unified audit log adapter (docs/adapters/m365.md): Office
 * 365 Management Activity API records, the same with lower-cased keys
 * (Panther), Purview / Graph exports that wrap the record in `AuditData`, and
 * Sentinel `OfficeActivity` rows. Inbox rules and mailbox forwarding from
 * Exchange; sign-ins, MFA method changes and passwords from Entra ID; every
 * other operation is skipped as `m365 <Workload> <Operation>`.
 *
 * @example
 * const outcome = m365Adapter.adapt(
 *   { Id: 'r-1', CreationTime: '2026-03-02T09:15:00', Operation: 'UserLoginFailed',
 *     RecordType: 15, Workload: 'AzureActiveDirectory', UserId: 'Ana@Contoso.example',
 *     ClientIP: '203.0.113.7' },
 *   { tenant: 'default' },
 * );
 * // { kind: 'events', events: [{ id: 'm365:r-1', time: '2026-03-02T09:15:00.000Z',
 * //   type: 'signin', outcome: 'failure',
 * //   account: { id: 'ana@contoso.example', email: 'ana@contoso.example' },
 * //   source: { ip: '203.0.113.7' } }] }
 */
import type { Adapter, AdaptContext, AdaptOutcome } from './adapter.js';
import { M365AuditRecord, parseAuditTime } from './m365/m365-audit-record.js';
import { DIRECTORY_OPERATIONS, mapDirectoryRecord } from './m365/m365-directory-mapper.js';
import { eventBase } from './m365/m365-event-base.js';
import { EXCHANGE_OPERATIONS, mapExchangeRecord } from './m365/m365-exchange-mapper.js';

const TIME_FIELDS = ['CreationTime', 'CreationDate', 'TimeGenerated', 'createdDateTime'] as const;

/** The `m365` format (see the file comment). @example m365Adapter.detect({ CreationTime: '2020-02-10T15:13:13', Operation: 'UserLoggedIn', RecordType: 15 }); // true */
export const m365Adapter: Adapter = {
  format: 'm365',
  vendor: 'Microsoft 365 (unified audit log)',

  detect(record: unknown): boolean {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
    const keys = new Set(Object.keys(record).map((k) => k.toLowerCase()));
    const hasOperation = keys.has('operation') || keys.has('operations');
    const hasTime = ['creationtime', 'creationdate', 'timegenerated', 'createddatetime'].some((k) =>
      keys.has(k),
    );
    const isAudit = keys.has('recordtype') || keys.has('auditdata') || keys.has('officeworkload');
    return hasOperation && hasTime && isAudit;
  },

  adapt(record: unknown, _context: AdaptContext): AdaptOutcome {
    try {
      return adaptRecord(record);
    } catch (error) {
      // Unreachable for JSON input; a guard so that no input can stop an ingest.
      return {
        kind: 'malformed',
        message: `record could not be read: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  },
};

function adaptRecord(value: unknown): AdaptOutcome {
  const view = M365AuditRecord.from(value);
  if (!view.ok) return { kind: 'malformed', message: view.message };
  const record = view.record;

  const operationValue = record.value('Operation', 'Operations');
  const operationName = typeof operationValue === 'string' ? operationValue.trim() : '';
  if (operationName === '') {
    return { kind: 'malformed', message: 'record has no Operation' };
  }
  const timeText = record.string(...TIME_FIELDS);
  if (timeText === undefined) {
    return { kind: 'malformed', message: 'record has no CreationTime' };
  }
  const time = parseAuditTime(timeText);
  if (time === undefined) {
    return {
      kind: 'malformed',
      message: `CreationTime is not a date-time: ${JSON.stringify(timeText.slice(0, 64))}`,
    };
  }

  const workload = record.string('Workload', 'OfficeWorkload');
  const operation = operationName.toLowerCase().replace(/\.$/, '');
  if (isOneOf(operation, EXCHANGE_OPERATIONS)) {
    return mapExchangeRecord(record, eventBase(record, time), operation, operationName);
  }
  if (isOneOf(operation, DIRECTORY_OPERATIONS)) {
    return mapDirectoryRecord(record, eventBase(record, time), operation, operationName);
  }
  // New-TransportRule and the rest: organisation-wide or not about an account's takeover.
  return {
    kind: 'skip',
    reason: workload === undefined ? `m365 ${operationName}` : `m365 ${workload} ${operationName}`,
  };
}

function isOneOf<T extends string>(value: string, list: readonly T[]): value is T {
  return (list as readonly string[]).includes(value);
}
