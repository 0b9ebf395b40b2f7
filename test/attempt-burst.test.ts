/**
 * `attempt-burst` and the engine's hourly count behind it (hourly-burst.ts):
 * credential stuffing shares no address, browser or device between its
 * attempts, so each attempt alone is one user's forgotten password. What the
 * engine sees is the tenant's hour: far more accounts than usual, each tried
 * from somewhere new.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Decision } from '../src/domain/decision.js';
import type { NativeEvent } from '../src/domain/event.js';
import { AccountProfile, featureKeys } from '../src/detect/account-profile.js';
import type { FeatureValues } from '../src/detect/account-profile.js';
import { AttemptBursts } from '../src/detect/hourly-burst.js';
import { isNewPlace } from '../src/detect/novelty.js';
import { hourOf, MIN_WATCHED_HOURS } from '../src/domain/burst-rate.js';
import { RiskEngine } from '../src/detect/risk-engine.js';
import { Enricher } from '../src/enrich/enricher.js';
import { ACCOUNTS, DAY, HOUR, home, signins, T0 } from './helpers/home-tenant.js';

const enricher = Enricher.load();
const signin = signins('e');
const ev = (...args: Parameters<typeof signin>) => signin(...args) as NativeEvent;

/** An engine that has watched the tenant's accounts sign in from home, twice a day, for `days`. */
function watched(days: number): RiskEngine {
  const engine = new RiskEngine({ enricher });
  for (let d = 0; d < days; d++)
    for (const h of [0, 9])
      for (let i = 0; i < ACCOUNTS; i++) {
        const at = T0 + d * DAY + h * HOUR + i * 30_000;
        engine.process(ev(at, `u-${i}`, home(i), `laptop-${i}`), at);
      }
  return engine;
}

/** A replayed pair per account, a minute apart, each from a fresh residential exit and device. */
function stuffing(start: number, n: number, engine: RiskEngine): Decision[] {
  return Array.from({ length: n }, (_, i) => {
    const at = start + i * 60_000;
    return engine.process(
      ev(at, `u-${i}`, `98.${100 + i}.${(i * 11) % 250}.9`, `d-stuff-${i}`, 'failure'),
      at,
    );
  });
}

const fired = (d: Decision, id: string) => d.reasons.some((r) => r.detector === id);

test('a burst: once far more accounts than usual are tried from somewhere new in an hour, the next attempts are challenged', () => {
  const engine = watched(4);
  const start = T0 + 4 * DAY + 3 * HOUR;
  const ds = stuffing(start, 40, engine);
  const first = ds.findIndex((d) => fired(d, 'attempt-burst'));
  assert.ok(first >= 9 && first <= 12, `the burst is seen after about ten accounts (at ${first})`);
  for (const d of ds.slice(first)) {
    assert.ok(fired(d, 'attempt-burst'), JSON.stringify(d));
    assert.notEqual(d.decision, 'allow', JSON.stringify(d));
  }
  const reason = ds[ds.length - 1]!.reasons.find((r) => r.detector === 'attempt-burst')!;
  assert.match(reason.detail, /a burst across the tenant: \d+ accounts/);

  // The owner at home, on their own laptop, in the same hour: no one new.
  const at = start + 45 * 60_000;
  const owner = engine.process(ev(at, 'u-50', home(50), 'laptop-50'), at);
  assert.equal(owner.decision, 'allow', JSON.stringify(owner));
  assert.ok(!fired(owner, 'attempt-burst'));
  // The owner mistyping at home in the burst: not from somewhere new either.
  const typo = engine.process(ev(at + 1000, 'u-51', home(51), 'laptop-51', 'failure'), at + 1000);
  assert.ok(!fired(typo, 'attempt-burst'), JSON.stringify(typo));

  // A leaked password that works, from yet another exit: the burst's too.
  const hit = engine.process(ev(at + 2000, 'u-52', '98.200.3.9', 'd-stuff-hit'), at + 2000);
  assert.ok(fired(hit, 'attempt-burst'), JSON.stringify(hit));

  // Three hours later the burst is over.
  const later = start + 3 * HOUR;
  const after = engine.process(ev(later, 'u-53', '98.201.3.9', 'd-later', 'failure'), later);
  assert.ok(!fired(after, 'attempt-burst'), JSON.stringify(after));
});

test('the same attempts spread over two days are no burst', () => {
  const engine = watched(4);
  const start = T0 + 4 * DAY + 3 * HOUR;
  const ds = Array.from({ length: 40 }, (_, i) => {
    const at = start + i * 72 * 60_000;
    return engine.process(
      ev(at, `u-${i}`, `98.${100 + i}.${(i * 11) % 250}.9`, `d-s-${i}`, 'failure'),
      at,
    );
  });
  assert.ok(ds.every((d) => !fired(d, 'attempt-burst')));
});

test('no burst in the first day of watching a tenant, when every account is new', () => {
  const engine = new RiskEngine({ enricher });
  const ds = stuffing(T0, 40, engine);
  assert.ok(ds.every((d) => !fired(d, 'attempt-burst')));
  const bursts = new AttemptBursts();
  const hour = hourOf(T0);
  for (let a = 1; a <= 100; a++) bursts.add('t', hour + MIN_WATCHED_HOURS - 1, a, T0);
  assert.equal(bursts.running('t', hour + MIN_WATCHED_HOURS - 1), undefined);
});

test('a success on a young account counts against a burst only where new arrivals are rare; on a settled one, always', () => {
  // The same burst in a tenant whose owners often arrive from somewhere new
  // (every hour, new accounts sign in on new phones and networks), while a
  // few settled accounts sign in from home on their laptops.
  const engine = new RiskEngine({ enricher });
  for (let h = 0; h < 4 * 24; h++) {
    for (let i = 0; i < 30; i++) {
      const at = T0 + h * HOUR + i * 60_000;
      engine.process(ev(at, `v-${h}-${i}`, home(i + h), `d-v-${h}-${i}`), at);
    }
    if (h % 12 === 0)
      for (let i = 0; i < 3; i++) {
        const at = T0 + h * HOUR + 45 * 60_000 + i * 1000;
        engine.process(ev(at, `settled-${i}`, home(200 + i), `laptop-s-${i}`), at);
      }
  }
  const start = T0 + 4 * DAY + 3 * HOUR;
  const ds = stuffing(start, 40, engine);
  assert.ok(fired(ds[39]!, 'attempt-burst'), 'failures are the burst’s');
  const at = start + 45 * 60_000;
  // An account the engine has never seen: like the hour's many owners.
  const young = engine.process(ev(at, 'u-52', '98.200.3.9', 'd-stuff-hit'), at);
  assert.ok(!fired(young, 'attempt-burst'), JSON.stringify(young));
  // A settled account, eight sign-ins from home on its laptop, now a fresh exit and device.
  const settled = engine.process(ev(at + 1000, 'settled-0', '98.201.3.9', 'd-stuff-2'), at + 1000);
  const reason = settled.reasons.find((r) => r.detector === 'attempt-burst');
  assert.equal(reason?.score, 0.55, JSON.stringify(settled));
  assert.match(reason.detail, /8 trusted steps of history, none from here/);
  assert.notEqual(settled.decision, 'allow');
  // Its owner on the laptop from a new network (a café): the device vouches.
  const cafe = engine.process(ev(at + 2000, 'settled-1', '98.202.3.9', 'laptop-s-1'), at + 2000);
  assert.ok(!fired(cafe, 'attempt-burst'), JSON.stringify(cafe));
});

test('a young account’s success is held against owners like it over the last day, not against the tenant’s first sightings', () => {
  // Day 0: every account is first seen (sixty first sightings). Days 1-3:
  // each signs in from home on its laptop twice a day. One account has two
  // sign-ins of history only; another is first seen during the burst.
  const engine = new RiskEngine({ enricher });
  for (let i = 0; i < ACCOUNTS; i++) {
    const at = T0 + i * 60_000;
    engine.process(ev(at, `u-${i}`, home(i), `laptop-${i}`), at);
  }
  for (let d = 1; d < 4; d++)
    for (const h of [0, 9])
      for (let i = 0; i < ACCOUNTS; i++) {
        const at = T0 + d * DAY + h * HOUR + i * 30_000;
        engine.process(ev(at, `u-${i}`, home(i), `laptop-${i}`), at);
      }
  for (const d of [0, 2]) {
    const at = T0 + d * DAY + 5 * HOUR;
    engine.process(ev(at, 'young', home(70), 'laptop-young'), at);
  }
  const start = T0 + 4 * DAY + 3 * HOUR;
  stuffing(start, 40, engine);
  const at = start + 45 * 60_000;
  const young = engine.process(ev(at, 'young', '98.200.3.9', 'd-stuff-hit'), at);
  const reason = young.reasons.find((r) => r.detector === 'attempt-burst');
  assert.equal(reason?.score, 0.55, JSON.stringify(young));
  assert.match(reason.detail, /owners with history signing in from somewhere new in a usual hour/);
  assert.notEqual(young.decision, 'allow');
  const first = engine.process(ev(at + 1000, 'never-seen', '98.201.3.9', 'd-stuff-2'), at + 1000);
  const firstReason = first.reasons.find((r) => r.detector === 'attempt-burst');
  assert.match(
    firstReason?.detail ?? '',
    /accounts first seen in a usual hour/,
    JSON.stringify(first),
  );
  assert.notEqual(first.decision, 'allow');
});

test('somewhere new, when a step names no device: a client never used, or a country never signed in from', () => {
  const profile = new AccountProfile();
  const at = T0;
  const keys = (values: FeatureValues) => featureKeys(values);
  const own = { network: '73.40.1.0/24', asn: '7922', country: 'US', client: 'Chrome on Windows' };
  for (let i = 0; i < 6; i++) profile.learn(keys(own), at + i * HOUR, 9);
  // The commonest browser, from a phone network next door: the owner's mobile data.
  assert.equal(
    isNewPlace(keys({ ...own, network: '107.77.1.0/24', asn: '20057' }), profile),
    false,
  );
  // The same browser string from abroad vouches for nobody.
  assert.equal(
    isNewPlace(keys({ ...own, network: '122.166.1.0/24', asn: '24560', country: 'IN' }), profile),
    true,
  );
  // A client the account never used, at home's provider (a proxy exit there).
  assert.equal(
    isNewPlace(keys({ ...own, network: '73.41.9.0/24', client: 'Chrome on Mac OS' }), profile),
    true,
  );
  // Named devices decide: the owner's laptop abroad is not somewhere new.
  profile.learn(keys({ ...own, device: 'laptop' }), at + 7 * HOUR, 9);
  assert.equal(
    isNewPlace(keys({ network: '122.166.1.0/24', country: 'IN', device: 'laptop' }), profile),
    false,
  );
});

test('a snapshot taken mid-burst restores the burst', () => {
  const a = watched(4);
  const start = T0 + 4 * DAY + 3 * HOUR;
  stuffing(start, 15, a);
  const b = new RiskEngine({ enricher });
  b.restore(a.snapshot());
  const at = start + 20 * 60_000;
  const next = (e: RiskEngine) => e.process(ev(at, 'u-30', '98.150.1.9', 'd-next', 'failure'), at);
  const da = next(a);
  const db = next(b);
  assert.ok(fired(da, 'attempt-burst'));
  assert.deepEqual({ ...db, event_id: da.event_id }, da);
});

test('a young account’s success from a country new to it is held against owners arriving from abroad, not against every owner on a new network', () => {
  // Every hour for four days, twenty owners with history sign in from a new
  // network and device at home (US); none from abroad. Two young accounts
  // have two sign-ins from home each.
  const engine = new RiskEngine({ enricher });
  for (let h = 0; h < 4 * 24; h++)
    for (let i = 0; i < 20; i++) {
      const at = T0 + h * HOUR + i * 60_000;
      const account = `u-${(h * 20 + i) % ACCOUNTS}`;
      engine.process(ev(at, account, `73.${100 + (h % 100)}.${i}.7`, `d-${h}-${i}`), at);
    }
  for (const d of [0, 2])
    for (const young of ['young-1', 'young-2']) {
      const at = T0 + d * DAY + 5 * HOUR + (young === 'young-1' ? 0 : 60_000);
      engine.process(ev(at, young, home(young === 'young-1' ? 70 : 71), `laptop-${young}`), at);
    }
  const start = T0 + 4 * DAY + 3 * HOUR;
  stuffing(start, 40, engine);
  const at = start + 45 * 60_000;
  // The replayed password works for young-1, through an exit in Germany.
  const abroad = ev(at, 'young-1', '91.16.208.14', 'd-stuff-hit');
  assert.equal(enricher.enrich(abroad).country, 'DE');
  const hit = engine.process(abroad, at);
  const reason = hit.reasons.find((r) => r.detector === 'attempt-burst');
  assert.equal(reason?.score, 0.55, JSON.stringify(hit));
  assert.match(reason.detail, /owners with history signing in from a country new to them/);
  assert.notEqual(hit.decision, 'allow');
  // young-2's owner on a new network and phone at home: like the hour's many owners.
  const owner = engine.process(ev(at + 1000, 'young-2', '73.250.3.7', 'phone-young-2'), at + 1000);
  assert.ok(!fired(owner, 'attempt-burst'), JSON.stringify(owner));
});
