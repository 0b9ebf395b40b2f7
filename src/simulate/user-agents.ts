/**
 * Realistic user-agent strings whose browser versions follow the simulated date.
 *
 * Chrome and Firefox ship every four weeks, so a device's UA string changes a
 * few times a month while its device id stays the same, exactly as in real
 * logs; a detector that keys "known device" on the full UA string will see
 * that churn. Versions are extrapolated from known release dates (Chrome 131 on
 * 2024-11-12, Firefox 133 on 2024-11-26, Safari 26 in September 2025, after
 * which Apple freezes the iOS token at 18_6), and people lag 0–3 versions
 * behind. Strings are built once per (family, version) and cached.
 *
 * @example
 * userAgentAt('chrome-windows', 0, Date.parse('2026-10-01T00:00:00Z'));
 * // "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/154.0.0.0 Safari/537.36"
 */
import { DAY } from './durations.js';

/** Browser families a device can run. */
export const BROWSER_FAMILIES = [
  'chrome-windows',
  'edge-windows',
  'firefox-windows',
  'chrome-mac',
  'safari-mac',
  'firefox-mac',
  'chrome-linux',
  'firefox-linux',
  'safari-iphone',
  'chrome-iphone',
  'chrome-android',
  'samsung-android',
  'firefox-android',
] as const;
export type BrowserFamily = (typeof BROWSER_FAMILIES)[number];

/** Whether a family runs on a desktop or a phone; exhaustive so a new family must say. */
export const FAMILY_FORM: Record<BrowserFamily, 'desktop' | 'mobile'> = {
  'chrome-windows': 'desktop',
  'edge-windows': 'desktop',
  'firefox-windows': 'desktop',
  'chrome-mac': 'desktop',
  'safari-mac': 'desktop',
  'firefox-mac': 'desktop',
  'chrome-linux': 'desktop',
  'firefox-linux': 'desktop',
  'safari-iphone': 'mobile',
  'chrome-iphone': 'mobile',
  'chrome-android': 'mobile',
  'samsung-android': 'mobile',
  'firefox-android': 'mobile',
};

/** Market-share-like weights for desktop browsers. */
export const DESKTOP_WEIGHTS: Partial<Record<BrowserFamily, number>> = {
  'chrome-windows': 38,
  'edge-windows': 13,
  'firefox-windows': 6,
  'chrome-mac': 16,
  'safari-mac': 14,
  'firefox-mac': 3,
  'chrome-linux': 2,
  'firefox-linux': 1,
};

/** Market-share-like weights for phone browsers. */
export const MOBILE_WEIGHTS: Partial<Record<BrowserFamily, number>> = {
  'safari-iphone': 48,
  'chrome-iphone': 6,
  'chrome-android': 34,
  'samsung-android': 9,
  'firefox-android': 3,
};

/** Mail and calendar clients that sign in on their own, often with no device id. */
export const MAIL_CLIENT_AGENTS: readonly string[] = [
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18025; Pro)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
  'Outlook-iOS/709.2226530.prod.iphone (4.2441.0)',
  'Outlook-Android/2.0',
  'iOS/18.6 (22G86) accountsd/1.0',
  'Mail/3826.600.51.1.1 CFNetwork/1568.200.51 Darwin/24.1.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.3.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Thunderbird/140.2.0',
];

/** HTTP libraries that password-spray tooling sends as-is. */
export const SCRIPTED_AGENTS: readonly string[] = [
  'python-requests/2.32.3',
  'Go-http-client/1.1',
  'okhttp/4.12.0',
  'axios/1.7.9',
  'curl/8.5.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
];

const RELEASE_DAYS = 29.2; // four-weekly, with the year-end pause averaged in
const CHROME_131 = Date.UTC(2024, 10, 12);
const FIREFOX_133 = Date.UTC(2024, 10, 26);

function chromeVersion(ms: number): number {
  return Math.max(70, 131 + Math.floor((ms - CHROME_131) / DAY / RELEASE_DAYS));
}

function firefoxVersion(ms: number): number {
  return Math.max(70, 133 + Math.floor((ms - FIREFOX_133) / DAY / RELEASE_DAYS));
}

/** Safari's major version: 18 from September 2024, then year-based (26 from September 2025). */
function safariVersion(ms: number): { major: number; minor: number } {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const release = Date.UTC(year, 8, 15);
  const modelYear = ms >= release ? year + 1 : year;
  const major = modelYear >= 2026 ? modelYear - 2000 : Math.max(12, 18 + modelYear - 2025);
  const since = ms >= release ? ms - release : ms - Date.UTC(year - 1, 8, 15);
  return { major, minor: Math.min(6, Math.floor(since / DAY / 60)) };
}

const CACHE = new Map<string, string>();

/**
 * The UA string of a browser family `lag` releases behind the current one at time `ms`.
 *
 * @example
 * userAgentAt('safari-iphone', 0, Date.parse('2026-10-01T00:00:00Z'));
 * // "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/27.0 Mobile/15E148 Safari/604.1"
 */
export function userAgentAt(family: BrowserFamily, lag: number, ms: number): string {
  let version: number;
  let minor = 0;
  if (family.startsWith('firefox')) version = firefoxVersion(ms) - lag;
  else if (family.startsWith('safari')) {
    const s = safariVersion(ms);
    version = s.major - (lag > 1 ? 1 : 0);
    minor = lag > 1 ? 6 : s.minor;
  } else version = chromeVersion(ms) - lag;
  const key = `${family}|${version}|${minor}`;
  let ua = CACHE.get(key);
  if (ua === undefined) {
    ua = build(family, version, minor);
    CACHE.set(key, ua);
  }
  return ua;
}

function build(family: BrowserFamily, v: number, minor: number): string {
  // Build numbers are derived from the version so a version always has the same string.
  const chromeBuild = 6778 + (v - 131) * 66;
  const patch = 40 + ((v * 37) % 160);
  const iosToken = v >= 26 ? '18_6' : `${v}_${minor}`;
  switch (family) {
    case 'chrome-windows':
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;
    case 'edge-windows':
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.${2903 + (v - 131) * 56}.${patch}`;
    case 'firefox-windows':
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
    case 'chrome-mac':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;
    case 'safari-mac':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v}.${minor} Safari/605.1.15`;
    case 'firefox-mac':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
    case 'chrome-linux':
      return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;
    case 'firefox-linux':
      return `Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
    case 'safari-iphone':
      return `Mozilla/5.0 (iPhone; CPU iPhone OS ${iosToken} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v}.${minor} Mobile/15E148 Safari/604.1`;
    case 'chrome-iphone':
      return `Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/${v}.0.${chromeBuild}.${patch} Mobile/15E148 Safari/604.1`;
    case 'chrome-android':
      return `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`;
    case 'samsung-android':
      return `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/${Math.max(20, 27 + Math.floor((v - 131) / 6))}.0 Chrome/${v - 6}.0.0.0 Mobile Safari/537.36`;
    case 'firefox-android':
      return `Mozilla/5.0 (Android 15; Mobile; rv:${v}.0) Gecko/${v}.0 Firefox/${v}.0`;
  }
}
