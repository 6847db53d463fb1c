/**
 * What guests reported, per app and project, kept in series (a scalar's or a
 * plot's metric and variant, an image's, the log). Each series keeps its
 * newest `limit` points; every point carries its ordinal `n` in the series,
 * so the number dropped is known after a reload too.
 *
 * Writes coalesce: while one batch is being stored, the reports that arrive
 * wait and go in the next batch, so a guest reporting thousands a second costs
 * a few transactions, not thousands. A report's promise settles once it is
 * stored (or refused), and only a stored report is shown.
 */
import type { RegistryStore } from './store/registry-store.js';
import { ErrorCode } from '../errors/error-code.js';
import { SlotbridgeError } from '../errors/slotbridge-error.js';
import { payloadSize } from '../bridge/payload-size.js';
import type { Report, ReportLimits } from './types.js';

export const DEFAULT_REPORT_LIMITS: ReportLimits = { scalar: 100_000, log: 100_000, plot: 100, image: 100 };

/** Bytes of reports an app keeps in a project by default (`limits.maxReportBytes`): the most a loaded book holds in the page's heap. */
export const DEFAULT_REPORT_QUOTA = 64 * 1024 * 1024;

/** A report before the book gives it its series and ordinal. */
export interface NewReport {
  app: string;
  project: string;
  panel: string;
  kind: string;
  time: number;
  [key: string]: unknown;
}

export interface ReportSeries {
  series: string;
  kind: string;
  metric: string | undefined;
  variant: string | undefined;
  /** The newest points, oldest first. */
  points: Report[];
  /** Older points dropped to keep the series within its limit. */
  dropped: number;
}

/** The series a report belongs to: its kind, metric and variant. */
/** Named fields of a report from its arguments, as the bridge's `report.batch` and a runner's Python child send them. */
export function reportEntry(kind: string, args: readonly unknown[]): Record<string, unknown> {
  switch (kind) {
    case 'scalar':
      return { metric: args[0], variant: args[1], iteration: args[2], value: args[3] };
    case 'log':
      return { text: args[0] };
    case 'plot':
      return { metric: args[0], variant: args[1], figure: args[2] };
    default:
      return { metric: args[0], variant: args[1], iteration: args[2], url: args[3] };
  }
}

export function seriesKey(report: { kind: string; metric?: unknown; variant?: unknown }): string {
  return JSON.stringify([report.kind, report.metric ?? null, report.variant ?? null]);
}

interface Pending {
  report: NewReport;
  resolve(report: Report): void;
  reject(error: unknown): void;
}

type Book = Map<string, Report[]>;

export class ReportBook {
  readonly #store: RegistryStore;
  /** Points kept per series, by kind; frozen, so it is read without a copy (the dashboard reads it per report). */
  readonly limits: Readonly<ReportLimits>;
  /** Loaded books, by project and app; a book is loaded from the store on first use. */
  readonly #books = new Map<string, Promise<Book>>();
  #pending: Pending[] = [];
  /** The running drain, while one runs. */
  #drained: Promise<void> | undefined;

  /** Throws for an app whose reports are no longer kept (uninstalled, or on its way out). */
  readonly #keeping: (app: string, project: string) => void;

  /** Bytes of reports kept per app and project. */
  readonly quota: number;
  /** Bytes of each loaded book, by book key. */
  readonly #bytes = new Map<string, number>();

  constructor(
    store: RegistryStore,
    limits: Partial<ReportLimits> = {},
    keeping: (app: string, project: string) => void = () => {},
    quota = DEFAULT_REPORT_QUOTA,
  ) {
    this.#store = store;
    this.#keeping = keeping;
    this.quota = quota;
    this.limits = Object.freeze({ ...DEFAULT_REPORT_LIMITS, ...limits });
  }

  /** Stores a report; resolves with it (series and ordinal added) once it landed. */
  add(report: NewReport): Promise<Report> {
    return new Promise((resolve, reject) => {
      try {
        this.#keeping(report.app, report.project);
      } catch (error) {
        reject(error);
        return;
      }
      this.#pending.push({ report, resolve, reject });
      this.#drained ??= this.#drain();
    });
  }

  /** Resolves once no batch is being written: what was accepted before now is stored. */
  async settled(): Promise<void> {
    while (this.#drained) await this.#drained;
  }

  /** The series of an app in a project, in the order they first reported. */
  async series(project: string, app: string): Promise<ReportSeries[]> {
    const book = await this.#book(project, app);
    return [...book].map(([series, points]) => {
      const first = points[0];
      return {
        series,
        kind: first.kind,
        metric: typeof first['metric'] === 'string' ? first['metric'] : undefined,
        variant: typeof first['variant'] === 'string' ? first['variant'] : undefined,
        points: [...points],
        dropped: first.n - 1,
      };
    });
  }

  /** Forgets an app's reports in a project (after the store cleared them). */
  forget(project: string, app: string): void {
    this.#books.delete(bookKey(project, app));
    this.#bytes.delete(bookKey(project, app));
  }

  #book(project: string, app: string): Promise<Book> {
    const k = bookKey(project, app);
    let book = this.#books.get(k);
    if (!book) {
      book = this.#store.reports(project, app).then((reports) => {
        const loaded: Book = new Map();
        let bytes = 0;
        for (const report of reports) {
          bytes += payloadSize(report);
          const points = loaded.get(report.series) ?? [];
          points.push(report);
          loaded.set(report.series, points);
        }
        this.#bytes.set(k, bytes);
        return loaded;
      });
      // A failed load is retried by the next use.
      book.catch(() => this.#books.delete(k));
      this.#books.set(k, book);
    }
    return book;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        await this.#write(batch);
      }
    } finally {
      this.#drained = undefined;
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    const stored: { pending: Pending; report: Report; book: Book; size: number }[] = [];
    // Ordinals are counted here, before the write, from the newest point of each series (stored or in this batch).
    const next = new Map<string, number>();
    // Bytes each book holds with this batch's reports so far (dropped points are given back after the write).
    const bytes = new Map<string, number>();
    for (const pending of batch) {
      let book: Book;
      try {
        book = await this.#book(pending.report.project, pending.report.app);
      } catch (error) {
        pending.reject(error);
        continue;
      }
      const series = seriesKey(pending.report);
      const k = bookKey(pending.report.project, pending.report.app);
      const counter = `${k}\u0000${series}`;
      const n = next.get(counter) ?? (book.get(series)?.at(-1)?.n ?? 0) + 1;
      const report = { ...pending.report, series, n } as Report;
      const held = bytes.get(k) ?? this.#bytes.get(k) ?? 0;
      const size = payloadSize(report, this.quota);
      if (held + size > this.quota) {
        pending.reject(
          new SlotbridgeError(
            ErrorCode.STORAGE_FULL,
            `${pending.report.app} keeps ${held} bytes of reports in this project, and this one would take it past its ${this.quota}; report less, or have the platform clear them.`,
          ),
        );
        continue;
      }
      next.set(counter, n + 1);
      bytes.set(k, held + size);
      stored.push({ pending, book, report, size });
    }
    if (stored.length === 0) return;
    try {
      await this.#store.write([{ type: 'addReports', reports: stored.map((s) => s.report), limits: this.limits }]);
    } catch (error) {
      for (const { pending } of stored) pending.reject(error);
      return;
    }
    for (const { book, report, size } of stored) {
      const points = book.get(report.series) ?? [];
      points.push(report);
      book.set(report.series, points);
      const k = bookKey(report.project, report.app);
      this.#bytes.set(k, (this.#bytes.get(k) ?? 0) + size);
    }
    // Past the first report of a series, trimming it again is a length check.
    for (const { book, report } of stored) {
      const dropped = trim(book, report.series, (this.limits as Partial<Record<string, number>>)[report.kind] ?? 100);
      if (dropped.length === 0) continue;
      const k = bookKey(report.project, report.app);
      this.#bytes.set(k, (this.#bytes.get(k) ?? 0) - dropped.reduce((sum, point) => sum + payloadSize(point), 0));
    }
    for (const { pending, report } of stored) pending.resolve(report);
  }
}

/** Drops a series' oldest points past its limit; returns them. */
export function trim(book: Book, series: string, limit: number): Report[] {
  const points = book.get(series);
  return points && points.length > limit ? points.splice(0, points.length - limit) : [];
}

function bookKey(project: string, app: string): string {
  return `${project}\u0000${app}`;
}
