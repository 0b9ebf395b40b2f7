/**
 * The threat actors a simulated campaign can be attributed to, and the names
 * vendors publish them under.
 *
 * A vendor report rarely uses the actor's primary name: Microsoft writes "Mint
 * Sandstorm", Proofpoint "TA453". The simulated report (intel-report.ts) picks
 * one of these aliases per seed, so whoever imports it has to resolve the name
 * to the actor themselves. Every alias here is one the actor catalog
 * (data/actors.json) lists for the actor.
 *
 * @example
 * const name: ActorName = 'APT35';
 * rng.pick(VENDOR_ALIASES[name]); // e.g. "Mint Sandstorm"
 */

/** Vendor names of each known actor, keyed by the primary name truth.json uses. */
export const VENDOR_ALIASES = {
  APT35: ['Charming Kitten', 'Mint Sandstorm', 'TA453', 'Phosphorus'],
} as const satisfies Readonly<Record<string, readonly [string, ...string[]]>>;

/** The primary name of an actor a campaign can be attributed to. */
export type ActorName = keyof typeof VENDOR_ALIASES;
