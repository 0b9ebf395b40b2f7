/**
 * The source keys an event counts under for cross-account statistics: its
 * address, its /24 (or /48), and its exact client string.
 */
import type { Enrichment } from '../domain/enrichment.js';
import type { NativeEvent } from '../domain/event.js';

export interface SourceKey {
  readonly kind: 'ip' | 'network' | 'client';
  readonly key: string;
  readonly label: string;
}

export function sourceKeys(event: NativeEvent, enrichment: Enrichment): SourceKey[] {
  const keys: SourceKey[] = [];
  const ip = event.source?.ip;
  if (ip) keys.push({ kind: 'ip', key: `ip:${ip}`, label: `address ${ip}` });
  if (enrichment.prefix) {
    keys.push({
      kind: 'network',
      key: `net:${enrichment.prefix}`,
      label: `network ${enrichment.prefix}`,
    });
  }
  const ua = event.source?.user_agent;
  if (ua)
    keys.push({
      kind: 'client',
      key: `ua:${ua}`,
      label: `client "${ua.length > 60 ? `${ua.slice(0, 57)}...` : ua}"`,
    });
  return keys;
}
