/**
 * Shared egress: an address that many accounts of the tenant use as their
 * own network — the organisation's VPN concentrator or secure web gateway,
 * often in a cloud (a "hosting" network) and geolocated wherever its data
 * centre is. A user's first steps from it are no stranger than a colleague's
 * hundredth: where it is says nothing about where they are, and that it is a
 * cloud says nothing about who they are. So on a step from shared egress the
 * likelihood ratio leaves out the place (network, AS, country), and neither
 * `hosting-network` nor `impossible-travel` counts it; the device and the
 * client still do.
 *
 * Settled, not merely seen: an account counts only once its own profile
 * trusted the address's network over several steps (`OWN_NETWORK_WEIGHT`), on an
 * account that is not young, and only allowed successes teach that. An
 * attacker's relay would need that standing on `SHARED_EGRESS_ACCOUNTS`
 * victims before it helped, and an address that tried more accounts it was
 * new to than have settled on it is not shared egress at all.
 *
 * Microsoft's impossible-travel alert does the same: it "ignores obvious
 * false positives contributing to the impossible travel conditions, such as
 * VPNs and locations regularly used by other users in the organization"
 * (Microsoft's alert description, "Impossible travel activity").
 *
 * @example
 * sharedEgressAccounts(sources, { kind: 'ip', value: '40.66.230.17' }, time); // 12 (or 0)
 */
import type { SourceKey } from './source-keys.js';
import type { SourceStats } from './source-stats.js';

/** Accounts settled on an address, in the source window, for it to be shared egress. */
export const SHARED_EGRESS_ACCOUNTS = 5;

/**
 * The accounts settled on the address in the window when it is shared
 * egress, else 0: at least {@link SHARED_EGRESS_ACCOUNTS}, and at least as
 * many as it tried while new to them.
 */
export function sharedEgressAccounts(sources: SourceStats, ip: SourceKey, time: number): number {
  if (sources.settledUpTo(ip, time, SHARED_EGRESS_ACCOUNTS) < SHARED_EGRESS_ACCOUNTS) return 0;
  const settled = sources.settledUpTo(ip, time, Infinity);
  const attempted = sources.attemptedAtLeast(ip, time, 1);
  return settled >= attempted ? settled : 0;
}
