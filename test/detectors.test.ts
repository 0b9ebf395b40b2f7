/**
 * Table-driven behaviour of the risk engine and each detector: what fires and
 * what must not (a traveller, a new phone, a user recovering their own
 * account from home, the corporate VPN, a VPN user).
 * Each case replays a short history through a fresh engine (real enrichment
 * data) and checks the decision on its last event.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Decision } from '../src/domain/decision.js';
import type { NativeEvent } from '../src/domain/event.js';
import { FEATURE, valueKey } from '../src/detect/account-profile.js';
import { parsePolicy, decide, DEFAULT_POLICY } from '../src/detect/policy.js';
import { RiskEngine } from '../src/detect/risk-engine.js';
import { Enricher } from '../src/enrich/enricher.js';

const enricher = Enricher.load();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1, 9);

const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36';
/** A browser version years old: what spraying tools pin, and next to nobody runs. */
const STALE_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.110 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1';
const HOME = '73.74.250.71'; // Comcast, US
const HOME_2 = '73.74.250.80';
const BERLIN = '79.211.116.27'; // Deutsche Telekom, DE
const SINGAPORE = '203.116.1.1'; // StarHub, SG
const DIGITALOCEAN = '159.203.1.1'; // hosting
const CORP_VPN = '40.116.181.17'; // Microsoft (hosting), the organisation's egress
const M247 = '146.70.87.78'; // VPN provider
/** Microsoft (hosting), geolocated in India: an organisation's cloud VPN concentrator far from its staff. */
const CLOUD_VPN = '40.66.230.97';
const CLOUD_VPN_2 = '40.66.230.98';

/** On the routine's last day, two hours after its last sign-in from home: "India" is the data centre, not the user. */
const AT_WORK = T0 + 9 * DAY + 10 * 3_600_000;

/** `n` colleagues who have used `ip` as their work network for six days, with their own laptops. */
function colleaguesOn(ip: string, n: number, from = AFTER - 7 * DAY): Step[] {
  return Array.from({ length: 6 }, (_, d) =>
    Array.from({ length: n }, (_, i) => ({
      at: from + d * DAY + i * 60_000,
      account: `u-w${i}`,
      ip,
      device: `laptop-w${i}`,
    })),
  ).flat();
}

let seq = 0;
interface Step {
  at: number;
  type?: NativeEvent['type'];
  outcome?: NativeEvent['outcome'];
  account?: string;
  ip?: string;
  device?: string;
  ua?: string;
  method?: string;
  session?: string;
  tags?: string[];
  extra?: Record<string, unknown>;
}

function ev(s: Step): NativeEvent {
  return {
    id: `e-${++seq}`,
    time: new Date(s.at).toISOString(),
    tenant: 'default',
    type: s.type ?? 'signin',
    outcome: s.outcome ?? 'success',
    account: { id: s.account ?? 'u-1', ...(s.tags ? { tags: s.tags } : {}) },
    source: {
      ...(s.ip ? { ip: s.ip } : {}),
      ...(s.device ? { device_id: s.device } : {}),
      user_agent: s.ua ?? CHROME_WIN,
    },
    ...(s.method ? { auth: { method: s.method } } : {}),
    ...(s.session ? { session: { id: s.session } } : {}),
    ...(s.extra ?? {}),
  } as NativeEvent;
}

/** Ten days of normal sign-ins from home on one laptop. */
function routine(account = 'u-1', days = 10): Step[] {
  return Array.from({ length: days * 2 }, (_, i) => ({
    at: T0 + Math.floor(i / 2) * DAY + (i % 2) * 8 * 3_600_000,
    account,
    ip: i % 3 === 0 ? HOME_2 : HOME,
    device: `laptop-${account}`,
  }));
}

/**
 * Other people: 80 accounts, each on its own device and home network. The
 * likelihood ratio compares a user with everyone, so a case needs an everyone.
 */
const CROWD: Step[] = Array.from({ length: 80 }, (_, i) =>
  Array.from({ length: 3 }, (_, d) => ({
    at: T0 - 5 * DAY + d * DAY + i * 60_000,
    account: `crowd-${i}`,
    ip: `${[24, 68, 98, 71][i % 4]}.${10 + i}.${(i * 7) % 250}.${d + 10}`,
    device: `crowd-device-${i}`,
    ua: i % 2 ? CHROME_WIN : IPHONE,
  })),
).flat();

function engineWithCrowd(): RiskEngine {
  const engine = new RiskEngine({ enricher });
  for (const s of CROWD) engine.process(ev(s), s.at);
  return engine;
}

function run(steps: Step[], engine = engineWithCrowd()): Decision[] {
  return steps.map((s) => engine.process(ev(s), s.at));
}

const last = (ds: Decision[]) => ds[ds.length - 1]!;

/** Security answers guessed from abroad, three failures then a pass: the password is someone else's now. */
function guessedIn(): Step[] {
  const step = (i: number, outcome: Step['outcome']): Step => ({
    at: AFTER + i * 60_000,
    type: 'recovery.challenge',
    outcome,
    method: 'kba',
    ip: SINGAPORE,
    device: 'd-x',
  });
  return [step(0, 'failure'), step(1, 'failure'), step(2, 'failure'), step(4, 'success')];
}
/** `n` other people who signed in the day before, each from home, with `ua`. */
function people(n: number, ua?: string): Step[] {
  return Array.from({ length: n }, (_, i) => ({
    at: AFTER - DAY + i * 60_000,
    account: `u-p${i}`,
    ip: `98.${20 + i}.${i}.7`,
    device: `d-p${i}`,
    ...(ua ? { ua } : {}),
  }));
}

/** A spray: one failure on each of `n` accounts, `gap` ms apart, from `ip(i)` (a new exit for every try by default). */
function spray(
  n: number,
  o: { ua?: string; gap?: number; ip?: (i: number) => string; devices?: boolean } = {},
): Step[] {
  return Array.from({ length: n }, (_, i) => ({
    at: AFTER + i * (o.gap ?? 60_000),
    account: `u-s${i}`,
    outcome: 'failure' as const,
    ip: o.ip ? o.ip(i) : `73.${100 + (i % 100)}.${i % 250}.9`,
    ...(o.devices === false ? {} : { device: `d-s${i}` }),
    ...(o.ua ? { ua: o.ua } : {}),
  }));
}

const fired = (d: Decision) => d.reasons.map((r) => r.detector);
const AFTER = T0 + 11 * DAY;

const cases: {
  name: string;
  steps: Step[];
  want: Decision['decision'] | 'non-allow';
  fires?: string[];
  silent?: string[];
}[] = [
  {
    name: 'a familiar sign-in is allowed with no reasons',
    steps: [...routine(), { at: AFTER, ip: HOME, device: 'laptop-u-1' }],
    want: 'allow',
    silent: ['unfamiliar-signin'],
  },
  {
    name: 'a traveller on their own laptop is allowed',
    steps: [...routine(), { at: AFTER, ip: BERLIN, device: 'laptop-u-1' }],
    want: 'allow',
    silent: ['unfamiliar-signin', 'impossible-travel'],
  },
  {
    name: 'a new phone on the home network is allowed',
    steps: [...routine(), { at: AFTER, ip: HOME, device: 'new-phone', ua: IPHONE }],
    want: 'allow',
  },
  {
    name: 'a user recovering their own account from home is allowed at every step',
    steps: [
      ...routine(),
      {
        at: AFTER,
        type: 'password.reset.requested',
        ip: HOME,
        device: 'laptop-u-1',
        session: 's-r',
      },
      {
        at: AFTER + 60_000,
        type: 'recovery.challenge',
        method: 'email_code',
        ip: HOME,
        device: 'laptop-u-1',
        session: 's-r',
      },
      {
        at: AFTER + 120_000,
        type: 'password.reset.completed',
        ip: HOME,
        device: 'laptop-u-1',
        session: 's-r',
      },
      { at: AFTER + 180_000, ip: HOME, device: 'laptop-u-1', session: 's-r' },
    ],
    want: 'allow',
  },
  {
    name: 'a VPN user on their own laptop: hosting-network alone does not challenge',
    steps: [...routine(), { at: AFTER, ip: M247, device: 'laptop-u-1' }],
    want: 'allow',
  },
  {
    name: 'a sign-in from a new hosting network and a new device is challenged',
    steps: [...routine(), { at: AFTER, ip: DIGITALOCEAN, device: 'd-attacker' }],
    want: 'non-allow',
    fires: ['unfamiliar-signin', 'hosting-network'],
  },
  {
    name: 'learning does not launder: the sign-in after a risky reset from the same place is stopped too',
    steps: [
      ...routine(),
      {
        at: AFTER,
        type: 'password.reset.requested',
        ip: DIGITALOCEAN,
        device: 'd-attacker',
        session: 's-a',
      },
      {
        at: AFTER + 60_000,
        type: 'recovery.challenge',
        method: 'sms_code',
        ip: DIGITALOCEAN,
        device: 'd-attacker',
        session: 's-a',
      },
      {
        at: AFTER + 120_000,
        type: 'password.reset.completed',
        ip: DIGITALOCEAN,
        device: 'd-attacker',
        session: 's-a',
      },
      { at: AFTER + 180_000, ip: DIGITALOCEAN, device: 'd-attacker', session: 's-a' },
    ],
    want: 'non-allow',
    fires: ['unfamiliar-signin'],
  },
  {
    name: 'impossible travel: New York-ish to Singapore in 30 minutes on a new device',
    steps: [
      ...routine(),
      { at: AFTER, ip: HOME, device: 'laptop-u-1' },
      { at: AFTER + 30 * 60_000, ip: SINGAPORE, device: 'd-x' },
    ],
    want: 'non-allow',
    fires: ['impossible-travel'],
  },
  {
    name: 'reset-velocity: four reset requests in a day from an unfamiliar place',
    steps: [
      ...routine(),
      ...[0, 1, 2, 3].map((i) => ({
        at: AFTER + i * 3_600_000,
        type: 'password.reset.requested' as const,
        ip: BERLIN,
        device: `d-${i}`,
      })),
    ],
    want: 'non-allow',
    fires: ['reset-velocity'],
  },
  {
    name: 'recovery-probe: failed security questions from a new network',
    steps: [
      ...routine(),
      {
        at: AFTER,
        type: 'recovery.challenge',
        outcome: 'failure',
        method: 'kba',
        ip: BERLIN,
        device: 'd-x',
      },
      {
        at: AFTER + 60_000,
        type: 'recovery.challenge',
        outcome: 'failure',
        method: 'kba',
        ip: BERLIN,
        device: 'd-x',
      },
    ],
    want: 'non-allow',
    fires: ['recovery-probe'],
  },
  {
    name: 'push fatigue: approval after rejected prompts is challenged',
    steps: [
      ...routine(),
      { at: AFTER, ip: BERLIN, device: 'd-x', session: 's-f' },
      ...[1, 2, 3].map((i) => ({
        at: AFTER + i * 60_000,
        type: 'mfa.challenge' as const,
        outcome: 'failure' as const,
        method: 'mfa_push',
        ip: BERLIN,
        device: 'd-x',
        session: 's-f',
      })),
      {
        at: AFTER + 5 * 60_000,
        type: 'mfa.challenge',
        method: 'mfa_push',
        ip: BERLIN,
        device: 'd-x',
        session: 's-f',
      },
    ],
    want: 'non-allow',
    fires: ['recovery-probe'],
  },
  {
    name: 'post-takeover: forwarding set an hour after a risky sign-in',
    steps: [
      ...routine(),
      { at: AFTER, ip: DIGITALOCEAN, device: 'd-attacker' },
      {
        at: AFTER + 3_600_000,
        type: 'mailbox.forwarding.set',
        ip: HOME,
        device: 'laptop-u-1',
        extra: { mailbox: { forward_to: 'drop@evil.example' } },
      },
    ],
    want: 'non-allow',
    fires: ['post-takeover'],
  },
  {
    name: 'post-takeover: a dormant account whose first sign-in sets up forwarding within the hour',
    steps: [
      { at: AFTER, account: 'u-d', ip: '45.55.32.199', device: 'd-relay', session: 's-r' },
      {
        at: AFTER + 3_600_000,
        account: 'u-d',
        type: 'mailbox.forwarding.set',
        ip: '45.55.32.199',
        device: 'd-relay',
        session: 's-r',
        extra: { mailbox: { forward_to: 'sync.4f2a1@protonmail.example' } },
      },
    ],
    want: 'non-allow',
    fires: ['post-takeover'],
  },
  {
    name: 'the owner changing the password from home after a failed sign-in from abroad is allowed',
    steps: [
      ...routine(),
      { at: AFTER, outcome: 'failure', ip: SINGAPORE, device: 'd-attacker' },
      {
        at: AFTER + 3_600_000,
        type: 'password.changed',
        ip: HOME,
        device: 'laptop-u-1',
        session: 's-owner',
      },
    ],
    want: 'allow',
    silent: ['post-takeover'],
  },
  {
    name: 'the owner setting up forwarding from home is allowed',
    steps: [
      ...routine(),
      {
        at: AFTER,
        type: 'mailbox.forwarding.set',
        ip: HOME,
        device: 'laptop-u-1',
        extra: { mailbox: { forward_to: 'me@other.example' } },
      },
    ],
    want: 'allow',
    silent: ['post-takeover'],
  },
  {
    name: 'source-spread: one address failing against many accounts it is new to',
    steps: [
      ...['a', 'b', 'c', 'd', 'e', 'f'].flatMap((a) => routine(`u-${a}`, 4)),
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((a, i) => ({
        at: AFTER + i * 600_000,
        account: `u-${a}`,
        outcome: 'failure' as const,
        ip: '185.220.101.5',
        device: `d-s${i}`,
      })),
    ],
    want: 'non-allow',
    fires: ['source-spread'],
  },
  {
    name: 'the corporate VPN: many accounts from one hosting egress are not a spray',
    steps: [
      ...Array.from({ length: 30 }, (_, i) => `c${i}`).flatMap((a, i) =>
        Array.from({ length: 6 }, (_, d) => ({
          at: T0 + d * DAY + i * 60_000,
          account: `u-${a}`,
          ip: CORP_VPN,
          device: `laptop-${a}`,
        })),
      ),
      { at: AFTER, account: 'u-c3', outcome: 'failure', ip: CORP_VPN, device: 'laptop-c3' },
      { at: AFTER + 60_000, account: 'u-c3', ip: CORP_VPN, device: 'laptop-c3' },
    ],
    want: 'allow',
    silent: ['source-spread'],
  },
  {
    // Many logs carry no device id: the network, AS, country and client are all there is.
    name: "a colleague's first day on the organisation's cloud VPN, far from home, where colleagues have settled, is allowed",
    steps: [...routine(), ...colleaguesOn(CLOUD_VPN, 8), { at: AT_WORK, ip: CLOUD_VPN }],
    want: 'allow',
    silent: ['hosting-network', 'impossible-travel', 'unfamiliar-signin'],
  },
  {
    name: 'the same step with only three colleagues settled there is not yet shared egress',
    steps: [...routine(), ...colleaguesOn(CLOUD_VPN, 3), { at: AT_WORK, ip: CLOUD_VPN }],
    want: 'non-allow',
    fires: ['impossible-travel', 'hosting-network'],
  },
  {
    name: 'a cloud address that eight accounts signed in from once each is no shared egress',
    steps: [
      ...routine(),
      ...Array.from({ length: 8 }, (_, i) => ({
        at: AFTER - DAY + i * 60_000,
        account: `u-w${i}`,
        ip: CLOUD_VPN_2,
        device: `laptop-w${i}`,
      })),
      { at: AT_WORK, ip: CLOUD_VPN_2 },
    ],
    want: 'non-allow',
    fires: ['hosting-network'],
  },
  {
    name: 'on shared egress the device still counts: a new computer there is named as new',
    steps: [
      ...routine(),
      ...colleaguesOn(CLOUD_VPN, 8),
      { at: AT_WORK, ip: CLOUD_VPN, device: 'd-new', ua: STALE_CHROME },
    ],
    want: 'allow',
    fires: ['unfamiliar-signin'],
    silent: ['hosting-network', 'impossible-travel'],
  },
  {
    name: 'a spray from the cloud address colleagues settled on is no shared egress',
    steps: [
      ...routine(),
      ...colleaguesOn(CLOUD_VPN, 8),
      ...spray(12, { ip: () => CLOUD_VPN, gap: 30_000 }),
      { at: AFTER + 7 * 60_000, ip: CLOUD_VPN },
    ],
    want: 'non-allow',
  },
  {
    name: 'source-spread: a success from a scripting client that failed against many accounts',
    steps: [
      ...routine('u-v', 2),
      ...Array.from({ length: 40 }, (_, i) => ({
        at: AFTER + i * 60_000,
        account: `u-s${i}`,
        outcome: 'failure' as const,
        ip: `73.${100 + i}.${i}.9`, // a new residential exit for every try
        ua: 'Go-http-client/1.1',
      })),
      { at: AFTER + 41 * 60_000, account: 'u-v', ip: '79.211.116.99', ua: 'Go-http-client/1.1' },
    ],
    want: 'non-allow',
    fires: ['source-spread'],
  },
  {
    name: 'a browser string many failures came from does not stop a success by itself',
    steps: [
      ...routine('u-v', 2),
      ...Array.from({ length: 40 }, (_, i) => ({
        at: AFTER + i * 60_000,
        account: `u-s${i}`,
        outcome: 'failure' as const,
        ip: `73.${100 + i}.${i}.9`,
        device: `d-s${i}`,
      })),
      { at: AFTER + 41 * 60_000, account: 'u-v', ip: HOME, device: 'laptop-u-v' },
    ],
    want: 'allow',
    silent: ['source-spread'],
  },
  {
    name: 'source-spread: a success with a browser string that sprayed many accounts and that no account uses',
    steps: [
      ...routine('u-v', 2),
      ...spray(40, { ua: STALE_CHROME }),
      {
        at: AFTER + 41 * 60_000,
        account: 'u-v',
        ip: '79.211.116.99',
        device: 'd-x',
        ua: STALE_CHROME,
      },
    ],
    want: 'non-allow',
    fires: ['source-spread'],
  },
  {
    name: 'a success with a browser string that sprayed many accounts but that accounts use as their own',
    steps: [
      ...routine('u-v', 2),
      // Twenty people sign in with the same, current browser string.
      ...people(20),
      ...spray(40),
      { at: AFTER + 41 * 60_000, account: 'u-v', ip: '79.211.116.99', device: 'd-x' },
    ],
    want: 'non-allow', // a new device on a new network, for the likelihood ratio
    silent: ['source-spread'],
  },
  {
    name: 'a spraying script signing in from a familiar provider is a new client, tied to the spray',
    steps: [
      ...routine(),
      ...spray(40, { ua: 'python-requests/2.32.3', devices: false }),
      { at: AFTER + 41 * 60_000, ip: '73.75.12.40', ua: 'python-requests/2.32.3' },
    ],
    want: 'non-allow',
    fires: ['unfamiliar-signin', 'source-spread'],
  },
  {
    name: "source-spread: a success from a proxy exit at the account's own provider that tried other accounts",
    steps: [
      ...routine(),
      ...spray(5, { gap: 600_000, ip: () => '73.75.12.40' }),
      { at: AFTER + 3_600_000, ip: '73.75.12.40', device: 'd-x' },
    ],
    want: 'non-allow',
    fires: ['source-spread'],
  },
  {
    name: 'the owner recovering from home on a new computer whose browser version a spray pins is allowed',
    steps: [
      ...routine(),
      ...spray(200, { ua: STALE_CHROME, gap: 10_000 }),
      ...(['signin', 'password.reset.requested', 'recovery.challenge'] as const).map((type, i) => ({
        at: AFTER + 2 * 3_600_000 + i * 60_000,
        type,
        ...(type === 'signin' ? { outcome: 'failure' as const } : {}),
        ...(type === 'recovery.challenge' ? { method: 'email_code' } : {}),
        ip: HOME,
        device: 'new-desktop',
        ua: STALE_CHROME,
      })),
    ],
    want: 'allow',
    silent: ['source-spread'],
  },
  {
    name: 'a browser string a dozen people run is theirs, even when a large spray uses it too',
    steps: [
      ...routine('u-v', 2),
      ...people(12, STALE_CHROME),
      ...spray(200, { ua: STALE_CHROME, gap: 10_000 }),
      {
        at: AFTER + 2 * 3_600_000,
        account: 'u-p3',
        ip: '79.211.116.99',
        device: 'd-p3',
        ua: STALE_CHROME,
      },
    ],
    want: 'allow',
    silent: ['source-spread'],
  },
  {
    name: 'credential-exposed: the intruder whose password success was stopped comes back from elsewhere',
    steps: [
      ...routine(),
      ...guessedIn(),
      { at: AFTER + 2 * DAY, ip: '98.200.7.7', device: 'd-y', ua: IPHONE },
    ],
    want: 'non-allow',
    fires: ['credential-exposed'],
  },
  {
    name: 'credential-exposed: the owner on their own laptop is not suspected',
    steps: [...routine(), ...guessedIn(), { at: AFTER + 2 * DAY, ip: HOME, device: 'laptop-u-1' }],
    want: 'allow',
    silent: ['credential-exposed'],
  },
  {
    name: "the owner's mistyped password on their own laptop at home, in a browser version a spray pins, is theirs",
    steps: [
      ...routine('u-v'),
      ...spray(40, { ua: STALE_CHROME }),
      {
        at: AFTER + 41 * 60_000,
        account: 'u-v',
        outcome: 'failure',
        ip: HOME,
        device: 'laptop-u-v',
        ua: STALE_CHROME,
      },
    ],
    want: 'allow',
    silent: ['source-spread'],
  },
  {
    name: "source-spread: a failure from a spraying address on the owner's home line, from a device the account never used",
    steps: [
      ...routine('u-v'),
      ...spray(12, { gap: 300_000, ip: () => HOME }),
      {
        at: AFTER + 3_600_000,
        account: 'u-v',
        outcome: 'failure',
        ip: HOME,
        device: 'd-x',
      },
    ],
    want: 'non-allow',
    fires: ['source-spread'],
  },
  {
    name: 'source-spread: a young account’s recovery passed from an address working through other accounts’ recovery',
    steps: [
      { at: AFTER - DAY, account: 'u-new', ip: HOME, device: 'laptop-u-new' },
      ...Array.from({ length: 5 }, (_, i) => ({
        at: AFTER + i * 120_000,
        account: `u-r${i}`,
        type: 'recovery.challenge' as const,
        outcome: 'failure' as const,
        method: 'kba',
        ip: '73.153.60.200',
        device: `d-r${i}`,
      })),
      {
        at: AFTER + 15 * 60_000,
        account: 'u-new',
        type: 'recovery.challenge',
        method: 'kba',
        ip: '73.153.60.200',
        device: 'd-x',
      },
    ],
    want: 'non-allow',
    fires: ['source-spread'],
  },
  {
    name: 'credential-exposed: a traveller challenged once is not suspected ever after',
    steps: [
      ...routine(),
      { at: AFTER, ip: SINGAPORE, device: 'new-tablet', ua: IPHONE },
      { at: AFTER + DAY, ip: BERLIN, device: 'other-tablet', ua: IPHONE },
    ],
    want: 'non-allow',
    silent: ['credential-exposed'],
  },
];

describe('risk engine, by case', () => {
  for (const c of cases) {
    test(c.name, () => {
      const d = last(run(c.steps));
      if (c.want === 'non-allow') assert.notEqual(d.decision, 'allow', JSON.stringify(d));
      else assert.equal(d.decision, c.want, JSON.stringify(d));
      for (const id of c.fires ?? [])
        assert.ok(fired(d).includes(id), `${id} should fire: ${JSON.stringify(d)}`);
      for (const id of c.silent ?? [])
        assert.ok(!fired(d).includes(id), `${id} should be silent: ${JSON.stringify(d)}`);
      if (d.decision !== 'allow') {
        assert.ok(d.reasons.length > 0, 'every non-allow decision has a reason');
        for (const r of d.reasons) assert.ok(r.detail.length > 10 && r.score > 0 && r.score <= 1);
      }
      assert.ok(d.score >= 0 && d.score <= 1);
    });
  }

  test('post-takeover: forwarding in the session of an allowed sign-in from somewhere new, at the user’s own provider', () => {
    // A replayed password from a proxy exit on the user's own ISP, on an
    // account with a few days of history: the sign-in looks like the owner
    // on a new computer and is allowed, which
    // teaches the profile its context, so the forwarding minutes later
    // would look familiar.
    const PROXY = '73.41.33.151'; // Comcast, US, another /24
    const ds = run([
      ...routine('u-1', 2),
      { at: AFTER, ip: PROXY, device: 'd-proxy', session: 's-x' },
      {
        at: AFTER + 16 * 60_000,
        type: 'mailbox.forwarding.set',
        ip: PROXY,
        device: 'd-proxy',
        session: 's-x',
        extra: { mailbox: { forward_to: 'sync@drop.example' } },
      },
    ]);
    const signin = ds[ds.length - 2]!;
    assert.equal(signin.decision, 'allow', JSON.stringify(signin));
    const d = last(ds);
    assert.notEqual(d.decision, 'allow', JSON.stringify(d));
    const reason = d.reasons.find((r) => r.detector === 'post-takeover');
    assert.match(
      reason?.detail ?? '',
      /in a session that began 16 min before with a sign-in from a network and device or client new to the account/,
    );
    assert.doesNotMatch(reason!.detail, /sync@drop/, 'the address is shortened in the reason');
  });

  test('post-takeover: a new laptop that passed a second factor sets up an inbox rule, allowed', () => {
    // A new laptop at a friend's: allowed, then the second factor proves it.
    const phone = { ip: '73.41.33.151', device: 'laptop-new', session: 's-p' };
    const ds = run([
      ...routine('u-1', 2),
      { at: AFTER, ...phone },
      { at: AFTER + 30_000, type: 'mfa.challenge', method: 'totp', ...phone },
      { at: AFTER + 10 * 60_000, type: 'mailbox.rule.created', ...phone },
      // A later session from the same place, with no second factor: the place was proved.
      { at: AFTER + 30 * 60_000, type: 'mailbox.rule.created', ...phone, session: 's-p2' },
    ]);
    for (const d of ds.slice(-2)) {
      assert.equal(d.decision, 'allow', JSON.stringify(d));
      assert.ok(!fired(d).includes('post-takeover'), JSON.stringify(d));
    }
  });

  test('the learning week: a phone after a laptop is weighed less while the tenant is new, in full after a week', () => {
    // The crowd and the user start the same day: the tenant has been watched for hours.
    const at = (start: number): Step[] => [
      ...CROWD.map((c) => ({ ...c, at: c.at - (T0 - 5 * DAY) + start })),
      ...[0, 3, 6].map((h) => ({ at: start + h * 3_600_000, ip: HOME, device: 'laptop-u-1' })),
      // An Android phone on a mobile carrier (T-Mobile US), that evening.
      {
        at: start + 10 * 3_600_000,
        ip: '172.58.27.9',
        device: 'phone-u-1',
        ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36',
      },
    ];
    const fresh = last(run(at(T0), new RiskEngine({ enricher })));
    // The same day, after ten days of watching the tenant (others' history only).
    const engine = new RiskEngine({ enricher });
    run(
      CROWD.map((c) => ({ ...c, at: c.at - 10 * DAY })),
      engine,
    );
    const watched = last(run(at(T0), engine));
    const unfamiliar = (d: Decision) => d.reasons.find((r) => r.detector === 'unfamiliar-signin');
    assert.ok(unfamiliar(watched), JSON.stringify(watched));
    assert.ok(
      (unfamiliar(fresh)?.score ?? 0) < unfamiliar(watched)!.score,
      `${JSON.stringify(fresh)} vs ${JSON.stringify(watched)}`,
    );
    assert.equal(fresh.decision, 'allow', JSON.stringify(fresh));
    assert.equal(watched.decision, 'challenge', JSON.stringify(watched));
    if (unfamiliar(fresh))
      assert.match(
        unfamiliar(fresh)!.detail,
        /counted at \d+%: the tenant has been watched for 0\.\d of 7 learning days/,
      );
  });

  test('ioc-match fires on a loaded indicator', () => {
    const engine = engineWithCrowd();
    engine.indicators.add({
      type: 'ip',
      value: '198.51.100.9',
      source: 'test list',
      actor: 'APT35',
    });
    const d = last(
      run([...routine(), { at: AFTER, ip: '198.51.100.9', device: 'laptop-u-1' }], engine),
    );
    assert.ok(fired(d).includes('ioc-match'));
    assert.match(
      d.reasons.find((r) => r.detector === 'ioc-match')!.detail,
      /ip 198\.51\.100\.9 is an indicator from test list \(APT35\)/,
    );
  });

  test('vendor-risk: a level adds a little, an attack signal more; a routine step with "medium" stays allowed, an attack warning is challenged', () => {
    const cases: {
      name: string;
      risk?: Record<string, unknown>;
      score?: number;
      allowed: boolean;
    }[] = [
      { name: 'no vendor risk', allowed: true },
      { name: 'low', risk: { level: 'low' }, allowed: true },
      {
        name: 'medium from home',
        risk: { level: 'medium', signals: ['unfamiliarFeatures'] },
        score: 0.05,
        allowed: true,
      },
      { name: 'high', risk: { level: 'high' }, score: 0.15, allowed: true },
      {
        name: 'a government-backed attack warning',
        risk: { signals: ['gov_attack_warning'] },
        score: 0.5,
        allowed: false,
      },
      {
        name: 'Entra leaked credentials, high',
        risk: { level: 'high', signals: ['riskEventType:leakedCredentials'] },
        score: 0.5,
        allowed: false,
      },
    ];
    for (const c of cases) {
      const engine = engineWithCrowd();
      run(routine(), engine);
      const d = last(
        run(
          [
            {
              at: AFTER,
              ip: HOME,
              device: 'laptop-u-1',
              ...(c.risk ? { extra: { vendor_risk: c.risk } } : {}),
            },
          ],
          engine,
        ),
      );
      const reason = d.reasons.find((r) => r.detector === 'vendor-risk');
      assert.equal(d.decision === 'allow', c.allowed, `${c.name}: ${JSON.stringify(d)}`);
      if (c.score === undefined) assert.equal(d.score < 0.1, true, c.name);
      else assert.ok(d.score >= c.score - 0.01, `${c.name}: ${JSON.stringify(d)}`);
      if (c.score !== undefined && c.score >= 0.15) assert.ok(reason || d.score >= c.score, c.name);
    }
  });

  test('vendor-risk tips an unfamiliar step the engine already doubts', () => {
    const engine = engineWithCrowd();
    run(routine(), engine);
    const plain = last(run([{ at: AFTER, ip: '79.211.116.30', device: 'new-laptop' }], engine));
    const engine2 = engineWithCrowd();
    run(routine(), engine2);
    const warned = last(
      run(
        [
          {
            at: AFTER,
            ip: '79.211.116.30',
            device: 'new-laptop',
            extra: { vendor_risk: { level: 'high', signals: ['threatSuspected'] } },
          },
        ],
        engine2,
      ),
    );
    assert.ok(warned.score > plain.score, `${plain.score} → ${warned.score}`);
    assert.match(
      warned.reasons.find((r) => r.detector === 'vendor-risk')!.detail,
      /the identity provider rated it high risk and reported threatSuspected \(an attack on the account/,
    );
  });

  test('a user who proves a new context with MFA makes it familiar', () => {
    const engine = engineWithCrowd();
    run(routine(), engine);
    const NEW_PLACE = '79.211.116.28';
    const first = last(
      run([{ at: AFTER, ip: NEW_PLACE, device: 'new-laptop', session: 's-m' }], engine),
    );
    assert.notEqual(first.decision, 'allow', JSON.stringify(first));
    const proof = last(
      run(
        [
          {
            at: AFTER + 60_000,
            type: 'mfa.challenge',
            method: 'mfa_totp',
            ip: NEW_PLACE,
            device: 'new-laptop',
            session: 's-m',
          },
        ],
        engine,
      ),
    );
    assert.equal(proof.decision, 'allow', JSON.stringify(proof));
    const later = last(run([{ at: AFTER + DAY, ip: NEW_PLACE, device: 'new-laptop' }], engine));
    assert.equal(later.decision, 'allow', JSON.stringify(later));
  });

  test('no proof from a hosting network: a relayed MFA step is not trusted', () => {
    const engine = engineWithCrowd();
    run(routine(), engine);
    run([{ at: AFTER, ip: DIGITALOCEAN, device: 'd-proxy', session: 's-p' }], engine);
    const mfa = last(
      run(
        [
          {
            at: AFTER + 20_000,
            type: 'mfa.challenge',
            method: 'mfa_push',
            ip: DIGITALOCEAN,
            device: 'd-proxy',
            session: 's-p',
          },
        ],
        engine,
      ),
    );
    assert.notEqual(mfa.decision, 'allow', JSON.stringify(mfa));
    const persistence = last(
      run(
        [
          {
            at: AFTER + 300_000,
            type: 'mailbox.rule.created',
            ip: DIGITALOCEAN,
            device: 'd-proxy',
            session: 's-p',
          },
        ],
        engine,
      ),
    );
    assert.notEqual(persistence.decision, 'allow', JSON.stringify(persistence));
  });

  test('an intruder who keeps the password but fails the second factor never becomes familiar', () => {
    const engine = engineWithCrowd();
    run(routine(), engine);
    // Every day for a week: the password works, the push is refused.
    for (let d = 0; d < 7; d++) {
      const at = AFTER + d * DAY;
      run(
        [
          { at, ip: '68.101.121.83', device: 'd-intruder', session: `s-${d}` },
          {
            at: at + 30_000,
            type: 'mfa.challenge',
            outcome: 'failure',
            method: 'mfa_push',
            ip: '68.101.121.83',
            device: 'd-intruder',
            session: `s-${d}`,
          },
        ],
        engine,
      );
    }
    const again = last(
      run([{ at: AFTER + 8 * DAY, ip: '68.101.121.83', device: 'd-intruder' }], engine),
    );
    assert.notEqual(again.decision, 'allow', JSON.stringify(again));
  });

  test('asking for a reset teaches nothing: it vouches for no context', () => {
    const engine = engineWithCrowd();
    // A young account: two sign-ins from home.
    run(routine('u-y', 1), engine);
    const before = engine.profile('default', 'u-y')!.learned;
    const [asked] = run(
      [
        {
          at: AFTER,
          account: 'u-y',
          type: 'password.reset.requested',
          ip: '98.200.7.7',
          device: 'd-x',
          ua: IPHONE,
        },
      ],
      engine,
    );
    assert.equal(asked!.decision, 'allow', 'too young an account to doubt a request');
    const p = engine.profile('default', 'u-y')!;
    assert.equal(p.learned, before);
    assert.equal(p.trusted(FEATURE.device, valueKey('d-x')), 0);
  });

  test('a new phone used day after day becomes familiar by itself', () => {
    const engine = engineWithCrowd();
    run(routine(), engine);
    const days = [0, 1, 2, 3].map((d) => ({
      at: AFTER + d * DAY,
      ip: '172.56.10.20', // mobile carrier
      device: 'new-phone',
      ua: IPHONE,
    }));
    const ds = run(days, engine);
    assert.notEqual(ds[0]!.decision, 'allow', 'first sight of a new phone on a new network');
    assert.equal(last(ds).decision, 'allow', JSON.stringify(last(ds)));
  });

  test('an intruder asking for resets from one laptop on several days does not make it the owner’s', () => {
    const engine = engineWithCrowd();
    run(routine(), engine);
    const laptop = { ip: DIGITALOCEAN, device: 'd-intruder', ua: STALE_CHROME };
    const ds = run(
      [0, 1, 3, 7].map((d) => ({
        at: AFTER + d * DAY,
        type: 'password.reset.requested',
        ...laptop,
      })),
      engine,
    );
    assert.ok(
      ds.every((d) => d.decision !== 'allow'),
      JSON.stringify(ds.map((d) => d.decision)),
    );
    const p = engine.profile('default', 'u-1')!;
    assert.equal(p.trusted(FEATURE.device, valueKey('d-intruder')), 0);
    // So in hindsight its first step is still not from a place the account made its own.
    assert.equal(
      engine.owns('default', 'u-1', { deviceId: 'd-intruder', time: AFTER + DAY }),
      false,
    );
    // The owner's new phone, signing in on the same days, does pass its time test.
    const phone = [0, 1, 3, 7].map((d) => ({
      at: AFTER + d * DAY + 3_600_000,
      ip: '172.56.10.20',
      device: 'new-phone',
      ua: IPHONE,
    }));
    run(phone, engine);
    assert.equal(
      engine.owns('default', 'u-1', { deviceId: 'new-phone', time: AFTER + 3_600_000 }),
      true,
    );
  });

  test('time comes from events: replaying the same events gives the same decisions', () => {
    const steps = cases.flatMap((c) =>
      c.steps.map((s) => ({ ...s, account: `${c.name}:${s.account ?? 'u-1'}` })),
    );
    steps.sort((a, b) => a.at - b.at);
    seq = 0;
    const a = run(steps);
    seq = 0;
    const b = run(steps);
    assert.deepEqual(a, b);
  });
});

describe('policy', () => {
  test('defaults and the watch list', () => {
    assert.equal(decide(DEFAULT_POLICY, 0.49, 'signin', []), 'allow');
    assert.equal(decide(DEFAULT_POLICY, 0.5, 'signin', []), 'challenge');
    assert.equal(decide(DEFAULT_POLICY, 0.45, 'signin', ['journalist']), 'challenge');
    assert.equal(decide(DEFAULT_POLICY, 0.9, 'mailbox.forwarding.set', []), 'deny');
  });

  test('a file overrides what it names and keeps the rest', () => {
    const p = parsePolicy({
      thresholds: { signin: { challenge: 0.6 } },
      types: { 'mfa.removed': { challenge: 0.2, deny: 0.5 } },
    });
    assert.deepEqual(p.thresholds.signin, { challenge: 0.6, deny: 0.85 });
    assert.deepEqual(p.thresholds.recovery, DEFAULT_POLICY.thresholds.recovery);
    assert.equal(decide(p, 0.3, 'mfa.removed', []), 'challenge');
  });

  const bad: [unknown, string][] = [
    [[], 'policy: must be a JSON object'],
    [
      { thresholds: { signin: { challenge: -1 } } },
      'policy: thresholds.signin.challenge: must be a number from 0 to 1',
    ],
    [
      { thresholds: { signin: { challenge: 0.9, deny: 0.5 } } },
      'policy: thresholds.signin: challenge must not exceed deny',
    ],
    [
      { thresholds: { login: {} } },
      'policy: thresholds.login: unknown event class (expected signin, mfa, recovery, persistence, other)',
    ],
    [{ types: { singin: {} } }, 'policy: types.singin: unknown event type'],
    [{ watchlist: { factor: 0 } }, 'policy: watchlist.factor: must be a number above 0, at most 1'],
    [{ colour: 'red' }, 'policy: colour: unknown setting'],
    [
      { blast_radius: { depth: 0 } },
      'policy: blast_radius.depth: must be a whole number from 1 to 8',
    ],
    [
      { blast_radius: { window_hours: -1, hops: 2 } },
      'policy: blast_radius.hops: unknown setting; blast_radius.window_hours: must be a number from 0 (off) to 2160',
    ],
  ];
  test('blast radius: defaults, a file, and the raised flag', () => {
    assert.deepEqual(DEFAULT_POLICY.blast_radius, { window_hours: 72, depth: 4 });
    assert.deepEqual(parsePolicy({ blast_radius: { window_hours: 0 } }).blast_radius, {
      window_hours: 0,
      depth: 4,
    });
    assert.equal(decide(DEFAULT_POLICY, 0.45, 'signin', []), 'allow');
    assert.equal(decide(DEFAULT_POLICY, 0.45, 'signin', [], true), 'challenge');
  });
  for (const [input, message] of bad) {
    test(`rejects: ${message}`, () => assert.throws(() => parsePolicy(input), { message }));
  }
});
