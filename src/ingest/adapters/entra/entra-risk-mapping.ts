/**
 * Entra ID Protection as `risk.detected`: a risk detection (Graph
 * `riskDetection`, Azure Monitor `UserRiskEvents`, Sentinel
 * `AADUserRiskEvents`) or a risky user (Graph `riskyUser`, `RiskyUsers`,
 * `AADRiskyUsers`) whose state is `atRisk` or `confirmedCompromised`.
 *
 * @example
 * mapRiskDetection({ id: 'r-1', riskEventType: 'unfamiliarFeatures', riskLevel: 'medium',
 *   detectedDateTime: '2026-01-05T10:00:00Z', userPrincipalName: 'ana@example.com' }, {}, {});
 * // one risk.detected, vendor_risk { level: 'medium', signals: ['riskEventType:unfamiliarFeatures'] }
 */
import type { AdaptOutcome, AdaptedEvent } from '../adapter.js';
import { field, objectOf, textOf } from './entra-fields.js';
import {
  accountOf,
  compact,
  countryCode,
  eventId,
  eventTime,
  riskLevel,
  sourceIp,
  stateSignal,
  vendorRisk,
} from './entra-event-parts.js';

export function mapRiskDetection(body: unknown, envelope: unknown, record: unknown): AdaptOutcome {
  const time =
    eventTime(field(body, 'detectedDateTime')) ??
    eventTime(field(body, 'activityDateTime')) ??
    eventTime(field(envelope, 'time', 'TimeGenerated'));
  if (time === undefined) {
    return { kind: 'malformed', message: 'Entra risk detection has no valid detectedDateTime.' };
  }
  const account = accountOf(field(body, 'userPrincipalName'), field(body, 'userId'));
  if (account === undefined) {
    return {
      kind: 'malformed',
      message: 'Entra risk detection has no userPrincipalName or userId.',
    };
  }
  const id = eventId(field(body, 'id'), record);
  if (id === undefined) return { kind: 'malformed', message: 'Entra risk detection has no id.' };
  const signals: string[] = [];
  const type = textOf(field(body, 'riskEventType'));
  if (type !== undefined && type.length <= 128) signals.push(`riskEventType:${type}`);
  for (const signal of [
    stateSignal('riskState', field(body, 'riskState')),
    stateSignal('riskDetail', field(body, 'riskDetail')),
  ]) {
    if (signal !== undefined) signals.push(signal);
  }
  const location = objectOf(field(body, 'location'));
  const event: Record<string, unknown> = {
    id,
    time,
    type: 'risk.detected',
    outcome: 'success',
    account,
  };
  const source = compact({
    ip: sourceIp(field(body, 'ipAddress')),
    country: countryCode(field(location, 'countryOrRegion')),
  });
  if (source !== undefined) event.source = source;
  const session = textOf(field(body, 'correlationId'));
  if (session !== undefined && session.length <= 256) event.session = { id: session };
  event.vendor_risk = vendorRisk(riskLevel(field(body, 'riskLevel')), signals);
  return { kind: 'events', events: [event as AdaptedEvent] };
}

/** States of a risky user that flag the account; `remediated`, `dismissed` and `none` do not. */
const FLAGGED = new Set(['atrisk', 'confirmedcompromised']);

export function mapRiskyUser(body: unknown, envelope: unknown, record: unknown): AdaptOutcome {
  const state = textOf(field(body, 'riskState'));
  if (state === undefined || !FLAGGED.has(state.toLowerCase())) {
    return { kind: 'skip', reason: `entra riskyUser riskState ${state ?? 'missing'}` };
  }
  const time =
    eventTime(field(body, 'riskLastUpdatedDateTime')) ??
    eventTime(field(envelope, 'time', 'TimeGenerated'));
  if (time === undefined) {
    return { kind: 'malformed', message: 'Entra risky user has no valid riskLastUpdatedDateTime.' };
  }
  const account = accountOf(field(body, 'userPrincipalName'), field(body, 'id'));
  if (account === undefined) {
    return { kind: 'malformed', message: 'Entra risky user has no userPrincipalName or id.' };
  }
  // A risky user's id is the user's: the update time keeps each state change apart.
  const userId = textOf(field(body, 'id'));
  const id = eventId(userId === undefined ? undefined : `riskyUser:${userId}:${time}`, record);
  if (id === undefined) return { kind: 'malformed', message: 'Entra risky user has no id.' };
  const signals = [
    stateSignal('riskState', state),
    stateSignal('riskDetail', field(body, 'riskDetail')),
  ].filter((s): s is string => s !== undefined);
  const event: AdaptedEvent = {
    id,
    time,
    type: 'risk.detected',
    outcome: 'success',
    account,
    vendor_risk: vendorRisk(riskLevel(field(body, 'riskLevel')), signals),
  };
  return { kind: 'events', events: [event] };
}
