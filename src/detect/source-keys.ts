/**
 * The sources an event counts under for cross-account statistics: its
 * address, its /24 (or /48), and its exact client string.
 */
import type { Enrichment } from '../domain/enrichment.js';
import type { NativeEvent } from '../domain/event.js';

export type SourceKind = 'ip' | 'network' | 'client';

export interface SourceKey {
  readonly kind: SourceKind;
  /** The address, the prefix or the user-agent string itself. */
  readonly value: string;
}

export function sourceKeys(event: NativeEvent, enrichment: Enrichment): SourceKey[] {
  const keys: SourceKey[] = [];
  const ip = event.source?.ip;
  if (ip) keys.push({ kind: 'ip', value: ip });
  if (enrichment.prefix) keys.push({ kind: 'network', value: enrichment.prefix });
  const ua = event.source?.user_agent;
  if (ua) keys.push({ kind: 'client', value: ua });
  return keys;
}

/** How a reason names a source: `address 203.0.113.7`, `client "Mozilla/5.0 …"`. */
export function sourceLabel({ kind, value }: SourceKey): string {
  if (kind === 'ip') return `address ${value}`;
  if (kind === 'network') return `network ${value}`;
  return `client "${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
}
