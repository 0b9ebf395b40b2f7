/**
 * Cross-account source statistics: distinct accounts per source in the
 * window, bounded per source, the same whether a source's sightings are a
 * short list or (for a shared source) a map, and through a snapshot.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SourceStats } from '../src/detect/source-stats.js';
import type { SourceKey } from '../src/detect/source-keys.js';

const DAY = 86_400_000;
const ua: SourceKey = { kind: 'client', value: 'Mozilla/5.0 (shared)' };
const ip: SourceKey = { kind: 'ip', value: '203.0.113.7' };

describe('SourceStats', () => {
  test('counts distinct accounts, each once, within the window', () => {
    const stats = new SourceStats(7 * DAY);
    const t0 = Date.UTC(2026, 9, 1);
    for (let i = 0; i < 5; i++) stats.attempt(ip, 1 + (i % 3), t0 + i * 1000);
    assert.deepEqual(stats.spread(ip, t0 + 10_000), { attempted: 3, familiar: 0 });
    assert.equal(stats.attemptedAtLeast(ip, t0 + 10_000, 3), 3);
    assert.equal(stats.attemptedAtLeast(ip, t0 + 10_000, 4), 0);
    assert.deepEqual(stats.spread(ip, t0 + 8 * DAY), { attempted: 0, familiar: 0 });
  });

  for (const accounts of [10, 40, 600]) {
    test(`${accounts} accounts on one source: counted alike, at most 512 kept, oldest out first`, () => {
      const stats = new SourceStats(7 * DAY);
      const t0 = Date.UTC(2026, 9, 1);
      for (let round = 0; round < 2; round++) {
        for (let a = 1; a <= accounts; a++) stats.familiar(ua, a, t0 + round * DAY + a * 1000);
      }
      const now = t0 + DAY + (accounts + 1) * 1000;
      const kept = Math.min(accounts, 512);
      assert.equal(stats.familiarUpTo(ua, now, Infinity), kept);
      assert.equal(stats.familiarUpTo(ua, now, 5), Math.min(5, kept));
      // A new account takes the place of the least recently seen: account 1
      // was seen again in round 2, so with a full list a later account goes.
      stats.familiar(ua, 100_000, now);
      assert.equal(stats.familiarUpTo(ua, now, Infinity), Math.min(accounts + 1, 512));
      // The snapshot carries the same counts, whichever form the source took.
      const copy = new SourceStats(7 * DAY);
      copy.import(stats.export());
      assert.equal(copy.familiarUpTo(ua, now, Infinity), stats.familiarUpTo(ua, now, Infinity));
      copy.familiar(ua, 100_001, now + 1000);
      stats.familiar(ua, 100_001, now + 1000);
      assert.deepEqual(copy.export(), stats.export());
    });
  }

  test('accounts settled on an address are counted apart from those that merely used it, and survive a snapshot', () => {
    const stats = new SourceStats(7 * DAY);
    const t0 = Date.UTC(2026, 9, 1);
    for (let a = 1; a <= 8; a++) stats.familiar(ip, a, t0 + a * 1000);
    for (let a = 1; a <= 5; a++) stats.settle(ip, a, t0 + a * 1000);
    const now = t0 + DAY;
    assert.equal(stats.familiarUpTo(ip, now, Infinity), 8);
    assert.equal(stats.settledUpTo(ip, now, Infinity), 5);
    assert.equal(stats.settledUpTo(ip, now, 3), 3);
    assert.equal(stats.settledUpTo(ip, t0 + 8 * DAY, Infinity), 0, 'out of the window');
    const copy = new SourceStats(7 * DAY);
    copy.import(stats.export());
    assert.equal(copy.settledUpTo(ip, now, Infinity), 5);
    assert.deepEqual(copy.export(), stats.export());
    // A snapshot entry written before there were settled accounts reads as none.
    const old = stats.export();
    old.ip = old.ip.map(([v, t, a, f]) => [v, t, a, f]);
    const fromOld = new SourceStats(7 * DAY);
    fromOld.import(old);
    assert.equal(fromOld.settledUpTo(ip, now, Infinity), 0);
    assert.equal(fromOld.familiarUpTo(ip, now, Infinity), 8);
  });

  test('a shared source forgets the account seen longest ago, not one seen lately', () => {
    const stats = new SourceStats(7 * DAY);
    const t0 = Date.UTC(2026, 9, 1);
    for (let a = 1; a <= 512; a++) stats.attempt(ua, a, t0 + a * 1000);
    stats.attempt(ua, 1, t0 + 7_200_000); // account 1 again, hours later: the most recent
    stats.attempt(ua, 9999, t0 + 7_201_000); // full: account 2 goes, not 1
    const state = stats.export().client[0]!;
    const accounts = new Set(state[2]!.filter((_, i) => i % 2 === 0));
    assert.equal(accounts.size, 512);
    assert.ok(accounts.has(1) && accounts.has(9999) && !accounts.has(2));
  });
});
