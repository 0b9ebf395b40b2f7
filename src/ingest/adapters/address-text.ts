/**
 * The IP address in a vendor's address field, which may carry a port
 * (`1.2.3.4:10736`) or brackets (`[2001:db8::1]:443`); placeholders
 * (`null`, `<null>`, ``), host names and anything else give undefined.
 *
 * @example
 * addressOf('[2001:db8::1]:443'); // '2001:db8::1'
 * addressOf('null'); // undefined
 */
import { isIP } from 'node:net';

export function addressOf(text: string): string | undefined {
  const s = text.trim();
  if (s.length > 64) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  const ip = bracketed
    ? bracketed[1]!
    : /^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(s)
      ? s.slice(0, s.lastIndexOf(':'))
      : s;
  return isIP(ip) === 0 ? undefined : ip;
}
