/**
 * An open-loop HTTP/1.1 load generator on raw sockets, for `bench:http`: one
 * POST due every 1000/rate ms, each on a keep-alive connection with no
 * request of its own in flight (opening another when none is free), its
 * latency counted from when it was *due* to the last byte of its response.
 *
 * Why not `node:http`: the load generator shares the machine's cores with the
 * server, and the `http` client's own work per request (agent, parser,
 * streams) made it send late — 2 ms at the 99th percentile on the project's
 * two-core machine — which the open loop rightly counts as latency, but which
 * is the generator's, not the server's. Here a request is one preformatted
 * write and a response is read by its `Content-Length`.
 *
 * @example
 * const r = await pacedPosts(new URL('http://127.0.0.1:8080/v1/events'), lines, 1000, 15);
 * r.latencies[Math.floor(r.latencies.length * 0.99)]; // ms
 */
import net from 'node:net';

export interface PacedResult {
  /** Milliseconds from due to the response's last byte, sorted. */
  readonly latencies: number[];
  /** How late each request was sent (ms after it was due), sorted. */
  readonly lateness: number[];
  readonly non2xx: number;
  readonly errors: number;
  /** Seconds from the first due time to the last response. */
  readonly elapsed: number;
  /** Connections opened. */
  readonly connections: number;
}

const MAX_CONNECTIONS = 256;
const HEADER_END = Buffer.from('\r\n\r\n');

interface Connection {
  readonly socket: net.Socket;
  buffer: Buffer;
  /** When the request in flight was due; undefined when free. */
  due: number | undefined;
}

export async function pacedPosts(
  target: URL,
  bodies: readonly string[],
  rate: number,
  seconds: number,
): Promise<PacedResult> {
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const head = (length: number) =>
    `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
  const latencies: number[] = [];
  const lateness: number[] = [];
  const free: Connection[] = [];
  const all: Connection[] = [];
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  let next = 0;
  let start = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const settle = () => {
    if (++done === total) finish();
  };

  const open = (): Promise<Connection> =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.hostname, port: Number(target.port) });
      socket.setNoDelay(true);
      const c: Connection = { socket, buffer: Buffer.alloc(0), due: undefined };
      socket.once('connect', () => resolve(c));
      socket.once('error', (error) => {
        if (c.due !== undefined) {
          c.due = undefined;
          errors++;
          settle();
        }
        reject(error);
      });
      socket.on('data', (chunk: Buffer) => {
        c.buffer = c.buffer.length === 0 ? chunk : Buffer.concat([c.buffer, chunk]);
        for (;;) {
          const end = c.buffer.indexOf(HEADER_END);
          if (end < 0) return;
          const header = c.buffer.toString('latin1', 0, end);
          const length = /\r\ncontent-length: *(\d+)/i.exec(header);
          const size = end + 4 + (length ? Number(length[1]) : 0);
          if (c.buffer.length < size) return;
          const status = Number(header.slice(9, 12));
          c.buffer = c.buffer.subarray(size);
          if (c.due === undefined) continue; // nothing asked: ignore
          latencies.push(performance.now() - c.due);
          if (!(status >= 200 && status < 300)) non2xx++;
          c.due = undefined;
          free.push(c);
          settle();
        }
      });
      all.push(c);
    });

  const send = (c: Connection, due: number) => {
    c.due = due;
    lateness.push(performance.now() - due);
    const body = bodies[next++ % bodies.length]!;
    c.socket.write(head(Buffer.byteLength(body)) + body);
  };

  for (let i = 0; i < 16; i++) free.push(await open());
  start = performance.now();
  let sent = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    for (; sent < due; sent++) {
      const at = start + sent * interval;
      const c = free.pop();
      if (c) send(c, at);
      else if (all.length < MAX_CONNECTIONS)
        open().then(
          (fresh) => send(fresh, at),
          () => {
            errors++;
            settle();
          },
        );
      else {
        errors++; // no connection to send on: counted, never hidden
        settle();
      }
    }
    if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
  };
  tick();
  await finished;
  const elapsed = (performance.now() - start) / 1000;
  for (const c of all) c.socket.destroy();
  latencies.sort((a, b) => a - b);
  lateness.sort((a, b) => a - b);
  return { latencies, lateness, non2xx, errors, elapsed, connections: all.length };
}
