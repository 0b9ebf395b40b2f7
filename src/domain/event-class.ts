/**
 * Event types grouped by what they mean for an attacker: getting in, getting
 * back in through recovery, proving a second factor, and staying in.
 * Exhaustive over EventType, so a new type does not compile until it is placed.
 */
import type { EventType } from './event.js';

export type EventClass = 'signin' | 'recovery' | 'mfa' | 'persistence' | 'other';

export const EVENT_CLASS: Readonly<Record<EventType, EventClass>> = {
  signin: 'signin',
  'mfa.challenge': 'mfa',
  'password.reset.requested': 'recovery',
  'recovery.challenge': 'recovery',
  'password.reset.completed': 'recovery',
  'password.changed': 'persistence',
  'recovery.channel.added': 'persistence',
  'recovery.channel.removed': 'persistence',
  'mfa.enrolled': 'persistence',
  'mfa.removed': 'persistence',
  'mailbox.forwarding.set': 'persistence',
  'mailbox.rule.created': 'persistence',
  'oauth.consent.granted': 'persistence',
  'account.locked': 'other',
  'risk.detected': 'other',
};
