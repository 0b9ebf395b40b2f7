/**
 * Captions of the OCSF 1.0–1.5 enums the adapter names in skip reasons, so a
 * reason reads the same whatever `activity_name` a producer wrote. Ids are
 * from schema.ocsf.io (later versions only add values).
 *
 * @example
 * AUTHENTICATION_ACTIVITIES.get(2); // 'Logoff'
 */
export const AUTHENTICATION_ACTIVITIES: ReadonlyMap<number, string> = new Map([
  [0, 'Unknown'],
  [1, 'Logon'],
  [2, 'Logoff'],
  [3, 'Authentication Ticket'],
  [4, 'Service Ticket Request'],
  [5, 'Service Ticket Renew'],
  [6, 'Preauth'],
  [7, 'Account Switch'],
  [99, 'Other'],
]);

/** Account Change (3001) `activity_id` captions; 10–11 arrived in 1.1, 12 later. */
export const ACCOUNT_CHANGE_ACTIVITIES: ReadonlyMap<number, string> = new Map([
  [0, 'Unknown'],
  [1, 'Create'],
  [2, 'Enable'],
  [3, 'Password Change'],
  [4, 'Password Reset'],
  [5, 'Disable'],
  [6, 'Delete'],
  [7, 'Attach Policy'],
  [8, 'Detach Policy'],
  [9, 'Lock'],
  [10, 'MFA Factor Enable'],
  [11, 'MFA Factor Disable'],
  [12, 'Unlock'],
  [99, 'Other'],
]);

/** Authentication `logon_type_id` captions (Windows logon types). */
export const LOGON_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'System'],
  [2, 'Interactive'],
  [3, 'Network'],
  [4, 'Batch'],
  [5, 'OS Service'],
  [7, 'Unlock'],
  [8, 'Network Cleartext'],
  [9, 'New Credentials'],
  [10, 'Remote Interactive'],
  [11, 'Cached Interactive'],
  [12, 'Cached Remote Interactive'],
  [13, 'Cached Unlock'],
  [99, 'Other'],
]);

/** `status_id` captions. */
export const STATUSES: ReadonlyMap<number, string> = new Map([
  [0, 'Unknown'],
  [1, 'Success'],
  [2, 'Failure'],
  [99, 'Other'],
]);

/**
 * The caption of an activity id, or `activity <id>` for an id this version
 * does not know.
 *
 * @example
 * captionOf(AUTHENTICATION_ACTIVITIES, 2); // 'Logoff'
 * captionOf(AUTHENTICATION_ACTIVITIES, 42); // 'activity 42'
 */
export function captionOf(captions: ReadonlyMap<number, string>, id: number): string {
  return captions.get(id) ?? `activity ${id}`;
}
