/**
 * Recommended actions, derived from what the campaign did: rules are data,
 * one line each, in the order a reader should act (compromised accounts
 * first, then every target, then the security team).
 *
 * @example
 * recommendedActions({ ...facts, compromised: ['account 3'] })[0].title;
 * // 'For the compromised account (account 3)'
 */

export type Audience = 'compromised' | 'targeted' | 'security-team';

/** What the rules look at (labels are already masked). */
export interface ActionFacts {
  readonly campaignId: string;
  /** `2019-08-01 06:12 UTC`. */
  readonly since: string;
  /** Labels of the compromised accounts. */
  readonly compromised: readonly string[];
  readonly targetedNotCompromised: number;
  /** ATT&CK ids of the campaign and its events. */
  readonly techniques: ReadonlySet<string>;
  /** Native event types seen. */
  readonly eventTypes: ReadonlySet<string>;
  readonly failedMfaChallenges: number;
  readonly ips: number;
  readonly networks: number;
  readonly asns: number;
  readonly dropAddresses: number;
  /** The best attribution candidate. */
  readonly actor?: string;
}

export interface ActionGroup {
  readonly audience: Audience;
  readonly title: string;
  readonly items: readonly string[];
}

interface ActionRule {
  readonly audience: Audience;
  readonly when: (f: ActionFacts) => boolean;
  readonly text: (f: ActionFacts) => string;
}

/** `T1110` matches `T1110` and every `T1110.xxx`. */
const uses = (f: ActionFacts, ...ids: readonly string[]) =>
  [...f.techniques].some((t) => ids.some((id) => t === id || t.startsWith(`${id}.`)));
const saw = (f: ActionFacts, ...types: readonly string[]) => types.some((t) => f.eventTypes.has(t));

const compromised = (f: ActionFacts) => f.compromised.length > 0;
const recoveryAbuse = (f: ActionFacts) =>
  uses(f, 'T1586.002', 'T1098') ||
  saw(
    f,
    'password.reset.requested',
    'password.reset.completed',
    'recovery.challenge',
    'recovery.channel.added',
  );
const forwarding = (f: ActionFacts) =>
  uses(f, 'T1114.003', 'T1564.008') || saw(f, 'mailbox.forwarding.set', 'mailbox.rule.created');
const mfaFatigue = (f: ActionFacts) => uses(f, 'T1621') || f.failedMfaChallenges >= 3;

/** Every rule, in reading order. */
export const ACTION_RULES: readonly ActionRule[] = [
  {
    audience: 'compromised',
    when: compromised,
    text: (f) =>
      `Reset the password of ${listOf(f.compromised)} and revoke every session, app password and token issued since ${f.since}.`,
  },
  {
    audience: 'compromised',
    when: compromised,
    text: () =>
      'Remove what the attacker added: recovery addresses and phone numbers, forwarding and inbox rules, MFA devices and app consents; compare each account with its set-up before the campaign.',
  },
  {
    audience: 'compromised',
    when: compromised,
    text: () =>
      'Check the backup mailbox each account recovers through: attackers take it over first and reset the account from it. Secure it the same way.',
  },
  {
    audience: 'compromised',
    when: compromised,
    text: () =>
      'Tell each account holder directly and out of band (phone or in person, not through the compromised mailbox) what happened and what the attacker could read.',
  },
  {
    audience: 'targeted',
    when: recoveryAbuse,
    text: () =>
      'Replace security questions and SMS recovery with an authenticator app or a passkey, and make sure every backup mailbox has strong MFA too: the attacker went through account recovery.',
  },
  {
    audience: 'targeted',
    when: mfaFatigue,
    text: () =>
      'Turn on number matching for push approvals and limit repeated prompts; ask targets to deny any prompt they did not start and report it.',
  },
  {
    audience: 'targeted',
    when: forwarding,
    text: (f) =>
      'Audit inbox rules and forwarding on every targeted mailbox, not only the compromised ones' +
      (f.dropAddresses > 0 ? ', looking for the drop addresses listed under Infrastructure' : '') +
      '; remove rules that forward or hide mail.',
  },
  {
    audience: 'targeted',
    when: (f) => uses(f, 'T1110'),
    text: () =>
      'Require long, unique passwords and rate-limit sign-in: the attacker guessed or sprayed passwords across accounts.',
  },
  {
    audience: 'targeted',
    when: (f) => uses(f, 'T1556.006') || saw(f, 'mfa.removed'),
    text: () =>
      'Re-enrol MFA where it was removed, and alert whenever MFA is removed from a targeted account.',
  },
  {
    audience: 'targeted',
    when: (f) => uses(f, 'T1528', 'T1550.001') || saw(f, 'oauth.consent.granted'),
    text: () =>
      'Review third-party app consents and revoke those the account holder does not recognise.',
  },
  {
    audience: 'targeted',
    when: (f) => uses(f, 'T1566', 'T1598'),
    text: () =>
      'Warn targets that credential-phishing messages are part of the campaign and how to report one.',
  },
  {
    audience: 'targeted',
    when: (f) => f.targetedNotCompromised > 0,
    text: (f) =>
      `Warn the ${plural(f.targetedNotCompromised, 'account')} targeted but not compromised that ${f.actor ? `${f.actor} singled them out` : 'they were singled out'} and will likely try again; enrol them in phishing-resistant MFA (passkeys or security keys) and check that their recovery addresses and phone numbers are still their own.`,
  },
  {
    audience: 'security-team',
    when: (f) => f.ips + f.networks > 0,
    text: (f) =>
      `Block or challenge sign-in and account recovery from the ${[
        f.ips > 0 ? plural(f.ips, 'IP address', 'IP addresses') : '',
        f.networks > 0 ? plural(f.networks, 'network') : '',
      ]
        .filter((s) => s !== '')
        .join(' and ')} listed under Infrastructure` +
      (f.asns > 0
        ? '; watch the autonomous systems rather than block them, as they also carry ordinary users.'
        : '.'),
  },
  {
    audience: 'security-team',
    when: (f) => f.dropAddresses > 0,
    text: () =>
      'Alert whenever a drop address listed under Infrastructure is set as a recovery address or forwarding target on any account.',
  },
  {
    audience: 'security-team',
    when: () => true,
    text: (f) =>
      `Import the STIX 2.1 bundle of this campaign (tripline campaign ${f.campaignId} --stix) into your threat-intelligence platform, and share it with peers at risk.`,
  },
];

const TITLES: Readonly<Record<Audience, (f: ActionFacts) => string>> = {
  compromised: (f) =>
    `For the ${f.compromised.length === 1 ? 'compromised account' : `${f.compromised.length} compromised accounts`} (${listOf(f.compromised)})`,
  targeted: () => 'For every targeted account',
  'security-team': () => 'For the security team',
};

/** The rules that apply, grouped by audience; audiences with nothing to do are left out. */
export function recommendedActions(facts: ActionFacts): readonly ActionGroup[] {
  const audiences: readonly Audience[] = ['compromised', 'targeted', 'security-team'];
  return audiences
    .map((audience) => ({
      audience,
      title: TITLES[audience](facts),
      items: ACTION_RULES.filter((r) => r.audience === audience && r.when(facts)).map((r) =>
        r.text(facts),
      ),
    }))
    .filter((g) => g.items.length > 0);
}

/** `account 1, account 2 and account 3`; beyond ten, `… and 7 more`. */
function listOf(labels: readonly string[]): string {
  const shown = labels.slice(0, 10);
  const rest = labels.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
