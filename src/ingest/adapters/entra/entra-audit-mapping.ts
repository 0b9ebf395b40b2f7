/**
 * An Entra directory audit (Graph `directoryAudit`, an Azure Monitor
 * `AuditLogs` record, a Sentinel `AuditLogs` row) as native events: the
 * self-service password reset steps, password resets and changes, security
 * info (MFA and recovery methods) added or removed, and `Update user` changes
 * of `StrongAuthenticationMethod` / `StrongAuthenticationUserDetails`. Every
 * other activity is a skip named after it.
 *
 * @example
 * mapAudit({ id: 'a-1', activityDateTime: '2026-01-05T10:00:00Z',
 *   activityDisplayName: 'Reset password (self-service)', result: 'success',
 *   targetResources: [{ type: 'User', userPrincipalName: 'ana@example.com' }] }, {}, {});
 * // { kind: 'events', events: [{ id: 'entra:a-1', type: 'password.reset.completed', … }] }
 */
import type { AuthMethod, EventType, Outcome, RecoveryChannel } from '../../../domain/event.js';
import type { AdaptOutcome, AdaptedEvent } from '../adapter.js';
import type { JsonObject } from './entra-fields.js';
import { arrayOf, field, objectOf, parseJsonText, textOf } from './entra-fields.js';
import { accountOf, compact, eventId, eventTime, sourceIp } from './entra-event-parts.js';
import { isObject } from '../../field-checks.js';

type Handler =
  | { readonly kind: 'sspr-progress' }
  | { readonly kind: 'fixed'; readonly type: EventType; readonly by: 'self' | 'initiator' }
  | { readonly kind: 'sspr-blocked' }
  | {
      readonly kind: 'security-info';
      readonly change: 'added' | 'removed';
      readonly by: 'self' | 'initiator';
      /** What an unnamed method counts as. */
      readonly fallback: 'mfa' | 'recovery';
      /** SSPR registration: every method, the app too, is a recovery channel. */
      readonly recoveryOnly: boolean;
    }
  | { readonly kind: 'update-user' };

/** Activity names, lower-cased and without a trailing dot (the unified audit log adds one). */
const ACTIVITIES: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['self-service password reset flow activity progress', { kind: 'sspr-progress' }],
  ['self-serve password reset flow activity progress', { kind: 'sspr-progress' }],
  [
    'reset password (self-service)',
    { kind: 'fixed', type: 'password.reset.completed', by: 'self' },
  ],
  ['change password (self-service)', { kind: 'fixed', type: 'password.changed', by: 'self' }],
  ['reset user password', { kind: 'fixed', type: 'password.reset.completed', by: 'initiator' }],
  [
    'reset password (by admin)',
    { kind: 'fixed', type: 'password.reset.completed', by: 'initiator' },
  ],
  ['change user password', { kind: 'fixed', type: 'password.reset.completed', by: 'initiator' }],
  ['disable strong authentication', { kind: 'fixed', type: 'mfa.removed', by: 'initiator' }],
  ['blocked from self-service password reset', { kind: 'sspr-blocked' }],
  ...securityInfo(
    'security info saved for self-service password reset',
    'added',
    'self',
    'recovery',
    true,
  ),
  ...securityInfo(
    'user registered for self-service password reset',
    'added',
    'self',
    'recovery',
    true,
  ),
  ...securityInfo('user registered security info', 'added', 'self', 'mfa', false),
  ...securityInfo('user updated security info', 'added', 'self', 'mfa', false),
  ...securityInfo('user registered all required security info', 'added', 'self', 'mfa', false),
  ...securityInfo('admin registered security info', 'added', 'initiator', 'mfa', false),
  ...securityInfo('admin updated security info', 'added', 'initiator', 'mfa', false),
  ...securityInfo('user deleted security info', 'removed', 'self', 'mfa', false),
  ...securityInfo('admin deleted security info', 'removed', 'initiator', 'mfa', false),
  ['update user', { kind: 'update-user' }],
]);

function securityInfo(
  name: string,
  change: 'added' | 'removed',
  by: 'self' | 'initiator',
  fallback: 'mfa' | 'recovery',
  recoveryOnly: boolean,
): [[string, Handler]] {
  return [[name, { kind: 'security-info', change, by, fallback, recoveryOnly }]];
}

/** What every event of one audit record shares. */
interface AuditBase {
  readonly id: string;
  readonly time: string;
  readonly outcome: Outcome;
  readonly account: { readonly id: string; readonly email?: string };
  readonly source?: Readonly<Record<string, unknown>>;
  readonly session?: { readonly id: string };
  readonly initiator?: { readonly id?: string; readonly kind: 'self' | 'admin' | 'service' };
  readonly resultReason: string;
}

export function mapAudit(body: unknown, envelope: unknown, record: unknown): AdaptOutcome {
  const activity =
    textOf(field(body, 'activityDisplayName')) ??
    textOf(field(body, 'operationName')) ??
    textOf(field(envelope, 'operationName'));
  if (activity === undefined || activity.length > 256) {
    return { kind: 'malformed', message: 'Entra audit record has no activityDisplayName.' };
  }
  const handler = ACTIVITIES.get(activity.toLowerCase().replace(/\.$/, ''));
  if (handler === undefined) return { kind: 'skip', reason: `entra ${activity}` };

  const time =
    eventTime(field(body, 'activityDateTime')) ??
    eventTime(field(envelope, 'time', 'TimeGenerated'));
  if (time === undefined) {
    return {
      kind: 'malformed',
      message: 'Entra audit record has no valid activityDateTime or time.',
    };
  }
  const initiatedBy = objectOf(field(body, 'initiatedBy'));
  const initiatorUser = objectOf(field(initiatedBy, 'user'));
  const initiatorApp = objectOf(field(initiatedBy, 'app'));
  const targetUser = arrayOf(field(body, 'targetResources'))
    .filter(isObject)
    .find((t) => textOf(field(t, 'type'))?.toLowerCase() === 'user');
  const account =
    accountOf(field(targetUser, 'userPrincipalName'), field(targetUser, 'id')) ??
    accountOf(field(initiatorUser, 'userPrincipalName'), field(initiatorUser, 'id'));
  if (account === undefined) {
    return {
      kind: 'malformed',
      message: `Entra audit "${activity}" names no target user or initiating user.`,
    };
  }
  const id = eventId(field(body, 'id'), record);
  if (id === undefined) return { kind: 'malformed', message: 'Entra audit record has no id.' };

  const result = textOf(field(body, 'result'))?.toLowerCase();
  const base: AuditBase = {
    id,
    time,
    outcome: result === 'failure' || result === 'timeout' ? 'failure' : 'success',
    account,
    source: compact({
      ip:
        sourceIp(field(initiatorUser, 'ipAddress')) ?? sourceIp(field(envelope, 'callerIpAddress')),
      user_agent: userAgent(body),
    }),
    session: sessionOf(body, envelope),
    initiator: initiatorOf(initiatorUser, initiatorApp, account.id),
    resultReason: textOf(field(body, 'resultReason')) ?? '',
  };

  switch (handler.kind) {
    case 'sspr-progress':
      return ssprProgress(base, activity);
    case 'sspr-blocked':
      // Entra blocks SSPR (not sign-in) for 24 hours after too many attempts:
      // a failed recovery, not a locked account.
      return events([build(base, 'recovery.challenge', 'self', { outcome: 'failure' })]);
    case 'fixed':
      return events([build(base, handler.type, handler.by)]);
    case 'security-info':
      return events([securityInfoEvent(base, body, handler)]);
    case 'update-user':
      return updateUser(base, body, activity);
  }
}

function events(list: readonly AdaptedEvent[]): AdaptOutcome {
  return { kind: 'events', events: list };
}

interface Extra {
  readonly outcome?: Outcome;
  readonly auth?: { readonly method: AuthMethod };
  readonly recovery?: { readonly channel?: RecoveryChannel; readonly address?: string };
  readonly id?: string;
}

function build(
  base: AuditBase,
  type: EventType,
  by: 'self' | 'initiator',
  extra: Extra = {},
): AdaptedEvent {
  const actor =
    by === 'self'
      ? { id: base.account.id, kind: 'self' as const }
      : base.initiator === undefined
        ? undefined
        : compact({ id: base.initiator.id, kind: base.initiator.kind });
  const recovery = extra.recovery === undefined ? undefined : compact({ ...extra.recovery });
  return Object.fromEntries(
    Object.entries({
      id: extra.id ?? base.id,
      time: base.time,
      type,
      outcome: extra.outcome ?? base.outcome,
      account: base.account,
      source: base.source,
      auth: extra.auth,
      recovery,
      actor,
      session: base.session,
    }).filter(([, v]) => v !== undefined),
  );
}

/**
 * One step of Microsoft's SSPR flow, told apart by `resultReason` ("User
 * started the password reset process", "User started the email verification
 * option", "User verified the SMS code"…). Steps it cannot read are skipped
 * rather than guessed.
 */
function ssprProgress(base: AuditBase, activity: string): AdaptOutcome {
  const reason = base.resultReason.toLowerCase();
  const failed = base.outcome === 'failure';
  if (
    /started the password reset|submitted (their|the) user ?id|entered (their|the) user ?id/.test(
      reason,
    )
  ) {
    return events([build(base, 'password.reset.requested', 'self')]);
  }
  if (!/verif|code|security question|notification|gate|call|text|e-?mail/.test(reason)) {
    return { kind: 'skip', reason: `entra ${activity} (unrecognised step)` };
  }
  let outcome: Outcome;
  if (
    failed ||
    /fail|unsuccessful|not successful|did not|didn't|unable|incorrect|wrong|invalid|not verified|could not|exceeded|blocked|abandon|denied|rejected|not approved/.test(
      reason,
    )
  ) {
    outcome = 'failure';
  } else if (/passed|verified|completed|success|approved|answered correctly/.test(reason)) {
    outcome = 'success';
  } else if (/started|submitted|selected|requested|sent|chose/.test(reason)) {
    outcome = 'pending';
  } else {
    return { kind: 'skip', reason: `entra ${activity} (unrecognised step)` };
  }
  const channel = channelOf(reason);
  return events([
    build(base, 'recovery.challenge', 'self', {
      outcome,
      ...(channel === undefined ? {} : { recovery: { channel } }),
    }),
  ]);
}

/** The recovery channel a step or method names; the Authenticator app before "phone". */
function channelOf(text: string): RecoveryChannel | undefined {
  if (/authenticator|mobile app|app notification|app code|phone sign-in/i.test(text)) {
    return 'authenticator';
  }
  if (/e-?mail/i.test(text)) return 'email';
  if (/security question/i.test(text)) return 'kba';
  if (/phone|sms|text message|\btext\b|voice|\bcall\b/i.test(text)) return 'phone';
  return undefined;
}

/** MFA methods with a native auth method: passkeys and OATH tokens. */
function mfaMethodOf(text: string): AuthMethod | undefined {
  if (/fido|passkey|security key|windows hello/i.test(text)) return 'passkey';
  if (/oath|hardware token|software token/i.test(text)) return 'mfa_totp';
  return undefined;
}

/**
 * "User registered security info" and its kin: an email, phone or security
 * questions are recovery channels; the Authenticator app, FIDO2 keys, OATH
 * tokens and the rest are MFA. The method is read from `resultReason` and
 * `additionalDetails`; an unnamed method counts as the activity's fallback.
 */
function securityInfoEvent(
  base: AuditBase,
  body: unknown,
  handler: Extract<Handler, { kind: 'security-info' }>,
): AdaptedEvent {
  const details = arrayOf(field(body, 'additionalDetails'))
    .map((d) => `${textOf(field(d, 'key')) ?? ''} ${textOf(field(d, 'value')) ?? ''}`)
    .join(' ');
  const text = `${base.resultReason} ${details}`;
  const channel = channelOf(text);
  const method = mfaMethodOf(text);
  const recoveryType =
    handler.change === 'added' ? 'recovery.channel.added' : 'recovery.channel.removed';
  const mfaType = handler.change === 'added' ? 'mfa.enrolled' : 'mfa.removed';
  const recovery = channel === undefined ? {} : { recovery: { channel } };
  if (handler.recoveryOnly) return build(base, recoveryType, handler.by, recovery);
  const mfaNamed =
    method !== undefined ||
    channel === 'authenticator' ||
    /oath|temporary access pass|certificate/i.test(text);
  if (mfaNamed) {
    return build(base, mfaType, handler.by, method === undefined ? {} : { auth: { method } });
  }
  if (channel !== undefined || handler.fallback === 'recovery') {
    return build(base, recoveryType, handler.by, recovery);
  }
  return build(base, mfaType, handler.by);
}

/**
 * "Update user" changing the strong-authentication properties: methods in
 * `StrongAuthenticationMethod` that appear are `mfa.enrolled`, those that go
 * are `mfa.removed`; the phone numbers and email of
 * `StrongAuthenticationUserDetails` are recovery channels added or removed
 * (a changed value is reported as added, with the new address). Any other
 * "Update user" is a skip.
 */
function updateUser(base: AuditBase, body: unknown, activity: string): AdaptOutcome {
  const out: AdaptedEvent[] = [];
  const target = arrayOf(field(body, 'targetResources'))
    .filter(isObject)
    .find((t) => textOf(field(t, 'type'))?.toLowerCase() === 'user');
  const props = arrayOf(field(target, 'modifiedProperties')).filter(isObject);
  const next = (): string => `${base.id}:${out.length}`;
  for (const prop of props) {
    const name = textOf(field(prop, 'displayName'))?.toLowerCase();
    if (name === 'strongauthenticationmethod') {
      const before = methodTypes(field(prop, 'oldValue'));
      const after = methodTypes(field(prop, 'newValue'));
      for (const type of after) {
        if (!before.includes(type)) {
          out.push(build(base, 'mfa.enrolled', 'initiator', methodExtra(type, next())));
        }
      }
      for (const type of before) {
        if (!after.includes(type)) {
          out.push(build(base, 'mfa.removed', 'initiator', methodExtra(type, next())));
        }
      }
    } else if (name === 'strongauthenticationuserdetails') {
      const before = userDetails(field(prop, 'oldValue'));
      const after = userDetails(field(prop, 'newValue'));
      for (const [key, channel] of DETAIL_CHANNELS) {
        const was = before?.[key];
        const now = after?.[key];
        if (now !== undefined && now !== was) {
          out.push(
            build(base, 'recovery.channel.added', 'initiator', {
              id: next(),
              recovery: { channel, address: now },
            }),
          );
        } else if (was !== undefined && now === undefined) {
          out.push(
            build(base, 'recovery.channel.removed', 'initiator', {
              id: next(),
              recovery: { channel, address: was },
            }),
          );
        }
      }
    }
  }
  if (out.length === 0) return { kind: 'skip', reason: `entra ${activity}` };
  // One event keeps the plain `entra:<id>`; several get `:<n>` suffixes.
  if (out.length === 1) return events([{ ...out[0], id: base.id }]);
  return events(out);
}

/**
 * MethodType numbers of `StrongAuthenticationMethod` that are well attested:
 * 6 the Authenticator app code (PhoneAppOTP), 7 its notification
 * (PhoneAppNotification). Others are kept as MFA without a method.
 */
function methodExtra(type: number, id: string): Extra {
  if (type === 6) return { id, auth: { method: 'mfa_totp' } };
  if (type === 7) return { id, auth: { method: 'mfa_push' } };
  return { id };
}

function methodTypes(value: unknown): readonly number[] {
  const parsed = parseJsonText(value);
  const list = Array.isArray(parsed) ? parsed : [];
  const types: number[] = [];
  for (const entry of list) {
    const type = textOf(field(entry, 'MethodType'));
    if (type !== undefined && /^\d{1,4}$/.test(type) && !types.includes(Number(type))) {
      types.push(Number(type));
    }
  }
  return types;
}

const DETAIL_CHANNELS: readonly (readonly [
  'phone' | 'alternatePhone' | 'voicePhone' | 'email',
  RecoveryChannel,
])[] = [
  ['phone', 'phone'],
  ['alternatePhone', 'phone'],
  ['voicePhone', 'phone'],
  ['email', 'email'],
];

/** The phone numbers and email of a `StrongAuthenticationUserDetails` value. */
function userDetails(
  value: unknown,
): Partial<Record<'phone' | 'alternatePhone' | 'voicePhone' | 'email', string>> | undefined {
  const parsed = parseJsonText(value);
  const entry: JsonObject | undefined = Array.isArray(parsed)
    ? parsed.find(isObject)
    : isObject(parsed)
      ? parsed
      : undefined;
  if (entry === undefined) return undefined;
  const read = (name: string): string | undefined => {
    const text = textOf(field(entry, name));
    return text !== undefined && typeof field(entry, name) === 'string' && text.length <= 320
      ? text
      : undefined;
  };
  return {
    phone: read('PhoneNumber'),
    alternatePhone: read('AlternativePhoneNumber'),
    voicePhone: read('VoiceOnlyPhoneNumber'),
    email: read('Email'),
  };
}

function initiatorOf(
  user: JsonObject | undefined,
  app: JsonObject | undefined,
  accountId: string,
): AuditBase['initiator'] {
  const who = accountOf(field(user, 'userPrincipalName'), field(user, 'id'));
  if (who !== undefined) return { id: who.id, kind: who.id === accountId ? 'self' : 'admin' };
  const appName = textOf(field(app, 'displayName')) ?? textOf(field(app, 'servicePrincipalId'));
  if (app !== undefined) {
    return appName !== undefined && appName.length <= 256
      ? { id: appName, kind: 'service' }
      : { kind: 'service' };
  }
  return undefined;
}

function sessionOf(body: unknown, envelope: unknown): { readonly id: string } | undefined {
  const id = textOf(field(body, 'correlationId')) ?? textOf(field(envelope, 'correlationId'));
  return id !== undefined && id.length <= 256 ? { id } : undefined;
}

function userAgent(body: unknown): string | undefined {
  for (const detail of arrayOf(field(body, 'additionalDetails'))) {
    if (textOf(field(detail, 'key'))?.toLowerCase() === 'user-agent') {
      const value = textOf(field(detail, 'value'));
      if (value !== undefined && value.length <= 2048) return value;
    }
  }
  const column = textOf(field(body, 'userAgent'));
  return column !== undefined && column.length <= 2048 ? column : undefined;
}
