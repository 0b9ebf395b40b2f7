/**
 * A small tenant for burst tests: accounts that sign in from their own home
 * lines on their own laptops, and sign-in events to build it from.
 */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The first event: 1 October 2026, 06:00 UTC. */
export const T0 = Date.UTC(2026, 9, 1, 6);
export const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36';
export const ACCOUNTS = 60;

/** Each account's home line (Comcast, US): its own /24. */
export const home = (i: number) => `73.${40 + i}.${(i * 7) % 250}.20`;

/** A password sign-in in the native event shape (ids `${prefix}-1`, `${prefix}-2`, …). */
export function signins(prefix: string) {
  let seq = 0;
  return (
    at: number,
    account: string,
    ip: string,
    device: string,
    outcome: 'success' | 'failure' = 'success',
  ) => ({
    id: `${prefix}-${++seq}`,
    time: new Date(at).toISOString(),
    tenant: 'default',
    type: 'signin',
    outcome,
    account: { id: account },
    source: { ip, device_id: device, user_agent: UA },
    auth: { method: 'password' },
  });
}
