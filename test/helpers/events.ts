/** Small event builders for tests. */
export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'evt-1',
    time: '2026-10-01T12:00:00.000Z',
    tenant: 'default',
    type: 'signin',
    outcome: 'success',
    account: { id: 'u-1', email: 'ana@campaign.example', tags: ['campaign-staff'] },
    source: { ip: '203.0.113.7', user_agent: 'Mozilla/5.0', device_id: 'd-1' },
    ...overrides,
  };
}

export function events(n: number, prefix = 'evt'): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    event({
      id: `${prefix}-${i}`,
      time: new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString(),
      account: { id: `u-${i % 17}` },
    }),
  );
}

export function ndjson(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join('\n') + '\n';
}
