/**
 * A small Prometheus registry: counters and histograms with fixed label sets,
 * rendered in the text exposition format for `GET /metrics`.
 *
 * @example
 * const m = new Metrics();
 * const received = m.counter('tripline_events_received_total', 'Events received', ['source']);
 * received.inc({ source: 'http' });
 * m.render(); // '# HELP tripline_events_received_total Events received\n...'
 */
type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram' | 'gauge';
  render(): string;
}

function labelKey(labels: Labels | undefined): string {
  if (!labels) return '';
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export class Counter implements Family {
  readonly type = 'counter' as const;
  readonly #values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels?: Labels, by = 1): void {
    const key = labelKey(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  get(labels?: Labels): number {
    return this.#values.get(labelKey(labels)) ?? 0;
  }
  render(): string {
    return [...this.#values].map(([k, v]) => `${this.name}${k} ${v}`).join('\n');
  }
}

export class Gauge implements Family {
  readonly type = 'gauge' as const;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly read: () => number,
  ) {}
  render(): string {
    return `${this.name} ${this.read()}`;
  }
}

const DEFAULT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Histogram implements Family {
  readonly type = 'histogram' as const;
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = DEFAULT_BUCKETS,
  ) {}
  /** Records a value in seconds. */
  observe(seconds: number, labels?: Labels): void {
    const key = labelKey(labels);
    let s = this.#series.get(key);
    if (!s) {
      s = { counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (seconds <= this.buckets[i]!) s.counts[i]!++;
    s.sum += seconds;
    s.count++;
  }
  render(): string {
    const out: string[] = [];
    for (const [key, s] of this.#series) {
      const inner = key ? key.slice(1, -1) + ',' : '';
      this.buckets.forEach((b, i) =>
        out.push(`${this.name}_bucket{${inner}le="${b}"} ${s.counts[i]}`),
      );
      out.push(`${this.name}_bucket{${inner}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${key} ${s.sum}`);
      out.push(`${this.name}_count${key} ${s.count}`);
    }
    return out.join('\n');
  }
}

export class Metrics {
  readonly #families: Family[] = [];

  counter(name: string, help: string): Counter {
    return this.#add(new Counter(name, help));
  }
  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, buckets));
  }
  gauge(name: string, help: string, read: () => number): Gauge {
    return this.#add(new Gauge(name, help, read));
  }

  #add<F extends Family>(family: F): F {
    if (this.#families.some((f) => f.name === family.name)) {
      throw new Error(`metric ${family.name} registered twice`);
    }
    this.#families.push(family);
    return family;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    return (
      this.#families
        .map((f) => {
          const body = f.render();
          return `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}${body ? `\n${body}` : ''}`;
        })
        .join('\n') + '\n'
    );
  }
}

/** The counters every stage keeps (STYLE.md habit 10). */
export interface PipelineMetrics {
  readonly registry: Metrics;
  /** Events seen by a source, by `source` (http, file) and `result` (accepted, duplicate, rejected). */
  readonly events: Counter;
  /** Decisions by verdict (allow, challenge, deny). */
  readonly decisions: Counter;
  readonly batches: Counter;
  readonly batchSeconds: Histogram;
  readonly batchSize: Histogram;
  readonly httpSeconds: Histogram;
}

export function pipelineMetrics(registry = new Metrics()): PipelineMetrics {
  return {
    registry,
    events: registry.counter('tripline_events_total', 'Events by source and result'),
    decisions: registry.counter('tripline_decisions_total', 'Decisions by verdict'),
    batches: registry.counter('tripline_store_batches_total', 'Batches committed by the writer'),
    batchSeconds: registry.histogram(
      'tripline_store_batch_seconds',
      'Time to commit one batch (store stage latency)',
    ),
    batchSize: registry.histogram(
      'tripline_store_batch_events',
      'Events per committed batch',
      [1, 10, 100, 1000, 5000, 20000],
    ),
    httpSeconds: registry.histogram('tripline_http_request_seconds', 'HTTP request latency'),
  };
}
