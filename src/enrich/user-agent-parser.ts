/**
 * User agent → browser family, OS and device class, with ua-parser-js 1.x
 * (MIT; 2.x is AGPL). Real traffic repeats a few thousand strings, so results
 * are cached; the cache is bounded, so a flood of unique strings cannot grow it.
 *
 * @example
 * new UserAgentParser().parse('Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) …');
 * // { browser: 'Mobile Safari', browserMajor: '17', os: 'iOS', device: 'mobile' }
 */
import { UAParser } from 'ua-parser-js';
import type { DeviceClass } from '../domain/enrichment.js';

export interface UserAgentInfo {
  readonly browser?: string;
  readonly browserMajor?: string;
  readonly os?: string;
  readonly device: DeviceClass;
}

/** Scripted clients and crawlers, which ua-parser-js 1.x does not classify. */
const BOT =
  /bot\b|crawler|spider|curl\/|wget\/|python-requests|python-urllib|aiohttp|go-http-client|okhttp|java\/|libwww|httpclient|axios\/|node-fetch|powershell/i;

const UNKNOWN: UserAgentInfo = { device: 'unknown' };

export class UserAgentParser {
  readonly #cache = new Map<string, UserAgentInfo>();
  readonly #maxEntries: number;
  readonly #parser = new UAParser();

  constructor(maxEntries = 20_000) {
    this.#maxEntries = maxEntries;
  }

  parse(userAgent: string | undefined): UserAgentInfo {
    if (!userAgent) return UNKNOWN;
    const cached = this.#cache.get(userAgent);
    if (cached) return cached;
    const info = this.#parse(userAgent);
    if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
    this.#cache.set(userAgent, info);
    return info;
  }

  #parse(userAgent: string): UserAgentInfo {
    const r = this.#parser.setUA(userAgent.slice(0, 1024)).getResult();
    const bot = BOT.test(userAgent);
    let device: DeviceClass;
    if (bot) device = 'bot';
    else if (r.device.type === 'mobile' || r.device.type === 'wearable') device = 'mobile';
    else if (r.device.type === 'tablet') device = 'tablet';
    else if (r.device.type === undefined && (r.os.name || r.browser.name)) device = 'desktop';
    else device = 'unknown';
    // A client the parser does not know (an HTTP library, a script, an odd
    // tool) is still a client: named by its product token, so an account's
    // first python-requests sign-in is a new client rather than no client.
    const browser = r.browser.name || productToken(userAgent);
    return {
      ...(browser ? { browser } : {}),
      ...(r.browser.major ? { browserMajor: r.browser.major } : {}),
      ...(r.os.name ? { os: r.os.name } : {}),
      device,
    };
  }
}

/** The product a user-agent string names first: `python-requests/2.32.3` → `python-requests`. */
function productToken(userAgent: string): string | undefined {
  const m = /^\s*([A-Za-z][\w.+-]{0,39})(?:\/|\s|$)/.exec(userAgent);
  return m?.[1];
}
