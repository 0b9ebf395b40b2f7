/**
 * A directory record: one account and its recovery set-up (DESIGN.md).
 *
 * @example
 * const r: DirectoryRecord = {
 *   tenant: 'default',
 *   account: { id: 'u-42', email: 'ana@campaign.example', tags: ['campaign-staff'] },
 *   recovery: [{ channel: 'email', address: 'ana.backup@mail.example' }],
 *   mfa: ['totp'],
 * };
 */
import type { EventAccount, RecoveryChannel } from './event.js';

export interface RecoveryMethod {
  readonly channel: RecoveryChannel;
  readonly address?: string;
}

export interface DirectoryRecord {
  readonly tenant: string;
  readonly account: EventAccount;
  readonly recovery: readonly RecoveryMethod[];
  readonly mfa: readonly string[];
  readonly [unknownField: string]: unknown;
}
