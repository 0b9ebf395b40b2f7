/**
 * The compact per-account profile: fixed size, bounded tables, decay in event
 * time, tentative values, rings — independent of the detectors above it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AccountProfile,
  FEATURE,
  featureKeys,
  MAX_VALUES,
  PROFILE_BYTES,
  ProfileArena,
  RING,
  valueKey,
} from '../src/detect/account-profile.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);
const keys = (device: string, network = '198.51.100.0/24') => featureKeys({ device, network });

test('a profile is a fixed record of under 1 KB, allocated in slabs', () => {
  assert.ok(PROFILE_BYTES <= 1024, `${PROFILE_BYTES} bytes`);
  const arena = new ProfileArena();
  const a = new AccountProfile(arena, 1);
  const b = new AccountProfile(arena, 2);
  a.learn(keys('d-a'), T0, 9);
  assert.equal(a.account, 1);
  assert.equal(b.account, 2);
  assert.equal(b.learned, 0, 'profiles in one slab do not share state');
  assert.ok(arena.bytes >= PROFILE_BYTES * 2);
});

test('value keys: stable, non-zero, different for different values', () => {
  assert.equal(valueKey('d-1'), valueKey('d-1'));
  assert.notEqual(valueKey('d-1'), valueKey('d-2'));
  assert.ok(valueKey('') > 0);
  assert.deepEqual(featureKeys({}), [0, 0, 0, 0, 0]);
});

test('weights halve every 30 days of event time, and late events decay nothing', () => {
  const p = new AccountProfile();
  p.learn(keys('d-1'), T0, 9);
  assert.equal(p.trusted(FEATURE.device, valueKey('d-1')), 1);
  p.learn(keys('d-2'), T0 + 30 * DAY, 9);
  assert.ok(Math.abs(p.trusted(FEATURE.device, valueKey('d-1')) - 0.5) < 1e-3);
  p.learn(keys('d-3'), T0 + 10 * DAY, 9); // late
  assert.ok(Math.abs(p.trusted(FEATURE.device, valueKey('d-1')) - 0.5) < 1e-3);
});

test('each feature keeps at most MAX_VALUES values: the weakest goes, tentative first', () => {
  const p = new AccountProfile();
  for (let i = 0; i < MAX_VALUES; i++) p.learn(keys(`d-${i}`), T0 + i * DAY, 9);
  p.remember(keys('d-risky'), T0 + 7 * DAY, false);
  assert.ok(p.isTentative(FEATURE.device, valueKey('d-risky')));
  assert.equal(p.trusted(FEATURE.device, valueKey('d-0')), 0, 'the weakest trusted value went');
  p.learn(keys('d-new'), T0 + 8 * DAY, 9);
  assert.ok(!p.isTentative(FEATURE.device, valueKey('d-risky')), 'the tentative one went next');
  assert.ok(p.trusted(FEATURE.device, valueKey('d-5')) > 0);
});

test('tentative values are not trusted until proved, or used on separate days', () => {
  const p = new AccountProfile();
  const k = keys('d-new');
  p.remember(k, T0, true);
  assert.equal(p.trusted(FEATURE.device, valueKey('d-new')), 0);
  p.remember(k, T0 + 3_600_000, true); // same half-day: no new sighting
  p.remember(k, T0 + DAY, true);
  assert.equal(p.trusted(FEATURE.device, valueKey('d-new')), 0, 'two sightings are not enough');
  p.remember(k, T0 + 2 * DAY, true);
  assert.ok(p.trusted(FEATURE.device, valueKey('d-new')) > 0, 'three half-days over two days');
  const q = new AccountProfile();
  q.remember(k, T0, false);
  q.trust(k, T0 + 60_000);
  assert.equal(q.trusted(FEATURE.device, valueKey('d-new')), 1, 'proved at once');
});

test('a value a risky step left tentative passes its time test by allowed use too', () => {
  // A sign-in from a hosting network challenged once, then the same network
  // used (and allowed) day after day: it must not stay a stranger for ever.
  const p = new AccountProfile();
  const k = keys('d-vpn', '54.91.79.0/24');
  p.remember(k, T0, false);
  p.learn(k, T0 + DAY, 9);
  p.learn(k, T0 + DAY + 3_600_000, 10); // same half-day: no new sighting
  assert.equal(p.trusted(FEATURE.network, valueKey('54.91.79.0/24')), 0, 'one sighting');
  p.learn(k, T0 + 2 * DAY, 9);
  assert.equal(p.trusted(FEATURE.network, valueKey('54.91.79.0/24')), 0, 'two sightings');
  p.learn(k, T0 + 3 * DAY, 9);
  assert.ok(
    p.trusted(FEATURE.network, valueKey('54.91.79.0/24')) > 0,
    'three half-days over two days',
  );
});

test('trusted after a moment: trusted now and used, trusted, on a later half-day', () => {
  const device = valueKey('d-phone');
  const stopped = T0 + 9 * 3_600_000;
  // An attacker's allowed sign-in minutes before the step asked about taught the value: no later use.
  const p = new AccountProfile();
  p.learn(keys('d-phone'), stopped - 20 * 60_000, 9);
  assert.equal(p.trustedAfter(FEATURE.device, device, stopped), false);
  p.learn(keys('d-phone'), stopped + 3_600_000, 10); // the same half-day
  assert.equal(p.trustedAfter(FEATURE.device, device, stopped), false);
  p.learn(keys('d-phone'), stopped + DAY, 9);
  assert.equal(p.trustedAfter(FEATURE.device, device, stopped), true);
  // A stopped step's context, then steady use that passes the time test.
  const q = new AccountProfile();
  q.remember(keys('d-phone'), stopped, true);
  q.remember(keys('d-phone'), stopped + DAY, true);
  assert.equal(q.trustedAfter(FEATURE.device, device, stopped), false, 'still tentative');
  q.remember(keys('d-phone'), stopped + 2 * DAY, true);
  assert.equal(q.trustedAfter(FEATURE.device, device, stopped), true, 'time-tested');
  // Proved by a second factor the next day.
  const r = new AccountProfile();
  r.remember(keys('d-phone'), stopped, true);
  r.trust(keys('d-phone'), stopped + DAY);
  assert.equal(r.trustedAfter(FEATURE.device, device, stopped), true);
  assert.equal(r.trustedAfter(FEATURE.device, valueKey('d-other'), stopped), false);
});

test('rings keep the last 12 steps and count by window', () => {
  const p = new AccountProfile();
  for (let i = 0; i < 20; i++) p.note(RING.resets, T0 + i * 60_000);
  assert.equal(p.countSince(RING.resets, T0 + 20 * 60_000, DAY), 12);
  assert.equal(p.countSince(RING.resets, T0 + 20 * 60_000, 5 * 60_000), 5);
  assert.equal(p.countSince(RING.failedSignins, T0, DAY), 0);
});

test('last location and last risk read back what was written', () => {
  const p = new AccountProfile();
  assert.equal(p.lastLocation, undefined);
  p.lastLocation = { latitude: 52.52, longitude: 13.4, time: T0, country: 'DE' };
  const loc = p.lastLocation!;
  assert.equal(loc.country, 'DE');
  assert.equal(loc.time, T0);
  assert.ok(Math.abs(loc.latitude - 52.52) < 1e-4 && Math.abs(loc.longitude - 13.4) < 1e-4);
  p.markRisk(T0 + 1000, 0.75, 's-1');
  assert.deepEqual(p.lastRisk, { time: T0 + 1000, score: 0.75, session: valueKey('s-1') });
  p.markExposed(T0 + 2000, 0.9);
  assert.equal(p.exposed!.time, T0 + 2000);
  p.clearExposed();
  assert.equal(p.exposed, undefined);
});
