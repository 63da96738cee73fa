/**
 * The scoped client's connections: node-postgres (`pg`) clients in pipeline mode, and one
 * Operation per scoped statement: Parse/Bind/Execute messages then ONE Sync, a query object on
 * pg's documented `submit(connection)` interface (no driver code patched). A statement name
 * counts as prepared only once its operation succeeded. docs/scoped-client.md#the-driver
 */
import pg from 'pg';

/** One statement of an operation. */
export interface Part {
  text: string;
  values: readonly unknown[];
  /** This part's rows are the operation's result: as arrays (drizzle's 'all') or objects. */
  result?: 'array' | 'object';
}

export interface OperationResult {
  rows: unknown[];
  command: string | null;
  rowCount: number | null;
}

/** The wire messages an Operation writes (pg's Connection; @types/pg declares a `more` flag pg ignores). */
interface Wire {
  parse(query: { text: string; name: string; types: number[] }): void;
  bind(config: { statement: string; portal: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { portal: string; rows: number }): void;
  close(config: { type: 'S'; name: string }): void;
  sync(): void;
  sendCopyFail(message: string): void;
  stream: { cork?(): void; uncork?(): void };
}

interface Message {
  fields: unknown[];
}

/**
 * Result types as drizzle's own Postgres drivers read them: dates, times and intervals stay text
 * (drizzle parses them by column mode); everything else as pg parses it.
 */
const TEXT_TYPES = new Set([1082, 1083, 1114, 1184, 1182, 1185, 1115, 1186, 1187, 1231, 1266, 1270]);
const identity = (value: string) => value;
const types = {
  getTypeParser(oid: number, format?: string) {
    return TEXT_TYPES.has(oid) ? identity : pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
} as unknown as typeof pg.types;

/** A parameter as Postgres reads it in text format (Buffers go as binary). */
export function toWire(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    const text = Buffer.isBuffer(item) ? `\\x${item.toString('hex')}` : String(toWire(item));
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/**
 * pg reports a lost connection as a plain Error ("Connection terminated unexpectedly", "not
 * queryable", a connect that ended early): give it a code, so callers can tell "the database
 * went away" (a 503, retry) from a bug. Server errors and socket errors keep theirs.
 */
function connectionCode(error: unknown): void {
  if (error instanceof Error && (error as { code?: unknown }).code === undefined) {
    Object.assign(error, { code: 'CONNECTION_CLOSED' });
  }
}

type NameState = 'sent' | 'ready';

/**
 * The columns of a statement's rows and how to read each: what a RowDescription says. A named
 * statement's rows always have the same shape (Postgres refuses to change it under a prepared
 * statement: 0A000), so it is read once and the next executions send no Describe: the server
 * builds and sends no RowDescription, and the client parses none.
 */
export class RowShape {
  private constructor(
    private readonly names: readonly string[],
    private readonly parsers: readonly ((value: string) => unknown)[],
  ) {}

  static of(fields: readonly pg.FieldDef[]): RowShape {
    return new RowShape(
      fields.map((f) => f.name),
      fields.map((f) => types.getTypeParser(f.dataTypeID, 'text') as (value: string) => unknown),
    );
  }

  array(raw: readonly (string | null)[]): unknown[] {
    const row = new Array<unknown>(raw.length);
    for (let i = 0; i < raw.length; i++) row[i] = raw[i] === null ? null : this.parsers[i]!(raw[i]!);
    return row;
  }

  object(raw: readonly (string | null)[]): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < raw.length; i++) row[this.names[i]!] = raw[i] === null ? null : this.parsers[i]!(raw[i]!);
    return row;
  }
}

/** Named statements kept per connection; past this, the least recently used one is closed. */
const MAX_STATEMENTS = 500;

/** The named statements of one connection, least recently used first. */
export class Statements {
  private readonly names = new Map<string, { name: string; state: NameState; shape?: RowShape }>();
  /** Names a failed operation may or may not have created, or evicted ones: closed with the next operation. */
  private readonly stale: string[] = [];
  private static counter = 0;

  /** The name to bind `text` with, whether to Parse it first ('' = unnamed, parsed each time), and its rows' shape if known. */
  take(text: string): { name: string; parse: boolean; created: boolean; shape?: RowShape } {
    const known = this.names.get(text);
    if (known?.state === 'ready') {
      // Most recently used last: delete and set moves it.
      this.names.delete(text);
      this.names.set(text, known);
      return { name: known.name, parse: false, created: false, shape: known.shape };
    }
    // Another operation in flight is creating it: if that one fails, the name never exists.
    if (known) return { name: '', parse: true, created: false };
    if (this.names.size >= MAX_STATEMENTS) this.evict();
    const name = `studio_${(++Statements.counter).toString(36)}`;
    this.names.set(text, { name, state: 'sent' });
    return { name, parse: true, created: true };
  }

  /** Closes the least recently used ready statement (one being created stays: its operation may still fail). */
  private evict(): void {
    for (const [text, known] of this.names) {
      if (known.state !== 'ready') continue;
      this.names.delete(text);
      this.stale.push(known.name);
      return;
    }
  }

  confirm(text: string): void {
    const known = this.names.get(text);
    if (known) known.state = 'ready';
  }

  /** The shape of `text`'s rows, read from a RowDescription, for the executions that skip Describe. */
  remember(text: string, shape: RowShape): void {
    const known = this.names.get(text);
    if (known) known.shape = shape;
  }

  forget(text: string): void {
    const known = this.names.get(text);
    if (!known) return;
    this.names.delete(text);
    this.stale.push(known.name);
  }

  /** Names to Close before the next statements (closing a name that does not exist is no error). */
  drainStale(): string[] {
    return this.stale.splice(0);
  }

  /** How many names are kept (tests). */
  get size(): number {
    return this.names.size;
  }
}

/**
 * Some statements with one Sync. Resolves with the result part's rows, or rejects with the
 * first error (the server then skipped the rest, and rolled the implicit transaction back).
 */
export class Operation extends pg.Query {
  readonly done: Promise<OperationResult>;
  private resolveDone!: (result: OperationResult) => void;
  private rejectDone!: (error: unknown) => void;
  /** How many parts have completed (the part the next message belongs to). */
  private index = 0;
  /** Per part: how to read its rows (known from an earlier execution, or from this one's RowDescription). */
  private readonly shapes: (RowShape | undefined)[] = [];
  // Not `rows`: pg reads that name on a query object as its (pipeline-refused) row-limit option.
  private readonly collected: unknown[] = [];
  private command: string | null = null;
  private rowCount: number | null = null;
  private failure: unknown;
  private created: { part: number; text: string }[] = [];

  constructor(
    private readonly parts: readonly Part[],
    /** null: every statement unnamed (behind a transaction-mode pooler). */
    private readonly statements: Statements | null,
    /** Called once, before the caller hears of the result: answered (true, at the ReadyForQuery) or failed (with the error). */
    private readonly after?: (answered: boolean, error?: unknown) => void,
  ) {
    super({ text: '' });
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Settled exactly once, whoever reads it; an unread failure is not an unhandled rejection.
    this.done.catch(() => {});
  }

  // pg's Query declares `submit` as a property; an Operation writes its own messages.
  override submit = (connection: pg.Connection): Error | null => {
    const wire = connection as unknown as Wire;
    wire.stream.cork?.();
    try {
      const taken = this.parts.map((part) => (this.statements ? this.statements.take(part.text) : { name: '', parse: true, created: false, shape: undefined }));
      // After take(): the names it evicted are closed by this operation already, before its own statements.
      for (const name of this.statements?.drainStale() ?? []) wire.close({ type: 'S', name });
      this.parts.forEach((part, i) => {
        const { name, parse, created, shape } = taken[i]!;
        if (created) this.created.push({ part: i, text: part.text });
        if (parse) wire.parse({ text: part.text, name, types: [] });
        wire.bind({ statement: name, portal: '', values: part.values as unknown[], valueMapper: toWire });
        if (part.result) {
          if (!parse && shape) this.shapes[i] = shape;
          else wire.describe({ type: 'P', name: '' });
        }
        wire.execute({ portal: '', rows: 0 });
      });
      wire.sync();
    } finally {
      wire.stream.uncork?.();
    }
    return null;
  };

  handleRowDescription(msg: { fields: pg.FieldDef[] }): void {
    const part = this.parts[this.index];
    if (!part?.result) return;
    const shape = RowShape.of(msg.fields);
    this.shapes[this.index] = shape;
    this.statements?.remember(part.text, shape);
  }

  handleDataRow(msg: Message): void {
    const part = this.parts[this.index];
    if (!part?.result || this.failure !== undefined) return;
    try {
      const shape = this.shapes[this.index];
      if (!shape) throw new Error('A row arrived before its description.');
      const raw = msg.fields as (string | null)[];
      this.collected.push(part.result === 'array' ? shape.array(raw) : shape.object(raw));
    } catch (error) {
      this.failure = error;
    }
  }

  handleCommandComplete(msg: { text: string }): void {
    if (this.parts[this.index]?.result) {
      // "SELECT 3", "UPDATE 2", "INSERT 0 1": the command, then the row count last.
      const match = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/.exec(msg.text);
      if (match) {
        this.command = match[1]!;
        const count = match[3] ?? match[2];
        if (count !== undefined) this.rowCount = Number(count);
      }
    }
    this.index++;
  }

  handleEmptyQuery(): void {
    this.index++;
  }

  handlePortalSuspended(): void {}

  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as Wire).sendCopyFail('COPY is not supported through the scoped client');
  }

  handleCopyData(): void {}

  /** A server error (pg then waits for the Sync's ReadyForQuery without us) or a lost connection. */
  handleError(error: unknown): void {
    connectionCode(error);
    // "cached plan must not change result type": the table changed under a named statement,
    // which fails the same way every time; parse it afresh next time (with a new shape).
    if ((error as { code?: string }).code === '0A000') {
      const part = this.parts[this.index];
      if (part) this.statements?.forget(part.text);
    }
    // Names created before the failing part exist; that part's and later ones may not.
    for (const { part, text } of this.created) {
      if (part < this.index) this.statements?.confirm(text);
      else this.statements?.forget(text);
    }
    this.created = [];
    this.after?.(false, error);
    this.rejectDone(error);
  }

  handleReadyForQuery(): void {
    for (const { text } of this.created) this.statements?.confirm(text);
    this.created = [];
    this.after?.(true);
    if (this.failure !== undefined) {
      this.rejectDone(this.failure);
      return;
    }
    this.resolveDone({ rows: this.collected, command: this.command, rowCount: this.rowCount });
  }
}

/** A server error that ends the session: the server closes the connection after sending it. */
function isFatal(error: unknown): boolean {
  const severity = (error as { severity?: unknown } | null)?.severity;
  return severity === 'FATAL' || severity === 'PANIC';
}

/** One pipelined connection of a ScopedPool. */
export class ScopedConnection {
  readonly client: pg.Client;
  readonly ready: Promise<void>;
  /** Operations written and not yet answered. */
  inflight = 0;
  /** Held by one transaction: no other operation is written to it until released. */
  reserved = false;
  dead = false;
  connected = false;
  private readonly statements: Statements | null;

  constructor(config: pg.ClientConfig, named: boolean, onGone: (conn: ScopedConnection) => void) {
    this.client = new pg.Client({ ...config, pipeline: true });
    this.statements = named ? new Statements() : null;
    const gone = () => {
      if (this.dead) return;
      this.dead = true;
      onGone(this);
    };
    // A lost connection fails its operations (pg errors every query it holds); it is never reused.
    this.client.on('error', gone);
    this.client.on('end', gone);
    this.ready = this.client.connect().then(
      () => {
        this.connected = true;
      },
      (error: unknown) => {
        gone();
        connectionCode(error);
        throw error;
      },
    );
  }

  /**
   * Writes the parts as one operation (one Sync). With `idle`, the connection must be outside a
   * transaction block after it; if a statement left one open, the setting would outlive its
   * statement, so the operation fails and the connection is closed.
   */
  run(parts: readonly Part[], idle = false): Promise<OperationResult> {
    this.inflight++;
    let leftOpen = false;
    const op = new Operation(parts, this.statements, (answered, error) => {
      this.inflight--;
      // A FATAL (57P01 from pg_terminate_backend, an administrator's shutdown) means the server
      // is closing this connection, but its socket may stay open a while longer (a loaded server
      // exits slowly): anything written meanwhile is lost to a reset. Leave the pool now, so the
      // next operation opens a new connection instead of following this one down.
      if (!answered && isFatal(error)) this.destroy();
      if (answered && idle && this.client.getTransactionStatus() !== 'I') {
        leftOpen = true;
        this.destroy();
      }
    });
    const answered = op.done.then((result) => {
      if (leftOpen) throw new Error('A scoped statement left a transaction open; its connection was closed.');
      return result;
    });
    this.holdWrites();
    this.client.query(op);
    return answered;
  }

  /** Whether the socket is corked until the current tick's operations are all written. */
  private holding = false;

  /**
   * Operations written in one tick leave in one write: the socket stays corked until the tick's
   * microtasks (where concurrent requests write theirs) are done. One writev per tick rather than
   * per operation: on loopback a write costs about as much as the statement itself, and the
   * server reads the batch in one go. postgres.js does the same for its own queries.
   */
  private holdWrites(): void {
    if (this.holding) return;
    const stream = (this.client as unknown as { connection: { stream: { cork?(): void; uncork?(): void } } }).connection.stream;
    if (!stream.cork || !stream.uncork) return;
    stream.cork();
    this.holding = true;
    process.nextTick(() => {
      this.holding = false;
      stream.uncork!();
    });
  }

  /** The transaction status after the last answered operation ('I' idle, 'T' in a block, 'E' failed block). */
  get status(): string | null {
    return this.client.getTransactionStatus();
  }

  destroy(): void {
    if (!this.dead) {
      this.dead = true;
      this.onDestroy?.(this);
    }
    (this.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  onDestroy?: (conn: ScopedConnection) => void;
}

export interface ScopedPoolConfig {
  url: string;
  max: number;
  applicationName: string;
  /** Startup settings (`-c name=value`), or none behind a transaction-mode pooler. */
  options?: string;
  /** Named prepared statements (not behind a transaction-mode pooler, where the next transaction runs on another server connection). */
  named: boolean;
}

/**
 * Up to `max` pipelined connections. A single operation goes to the live connection with the
 * fewest operations in flight (opening another while every one is busy), chosen and written in
 * the same tick, so a transaction can never take the connection in between; a transaction holds
 * one connection to itself until it ends, and no single operation is written to it meanwhile.
 */
export class ScopedPool {
  private readonly conns: ScopedConnection[] = [];
  /** Transactions waiting for a connection of their own (first come, first served). */
  private readonly waitingHolders: { resolve: (conn: ScopedConnection) => void; reject: (error: unknown) => void }[] = [];
  /** Single operations waiting because every connection is held: woken when one is given back. */
  private waitingShared: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private readonly clientConfig: pg.ClientConfig;
  private ended = false;

  constructor(private readonly config: ScopedPoolConfig) {
    this.clientConfig = {
      connectionString: config.url,
      application_name: config.applicationName,
      ...(config.options ? { options: config.options } : {}),
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    };
  }

  private open(): ScopedConnection {
    const conn = new ScopedConnection(this.clientConfig, this.config.named, (c) => this.remove(c));
    conn.onDestroy = (c) => this.remove(c);
    this.conns.push(conn);
    return conn;
  }

  private remove(conn: ScopedConnection): void {
    const i = this.conns.indexOf(conn);
    if (i < 0) return;
    this.conns.splice(i, 1);
    // Room for another connection: whoever waits may open it.
    if (this.ended) return;
    if (this.waitingHolders.length > 0) this.handOver(this.open());
    else this.wakeShared();
  }

  private handOver(conn: ScopedConnection): void {
    const next = this.waitingHolders.shift()!;
    conn.reserved = true;
    conn.ready.then(
      () => next.resolve(conn),
      (error: unknown) => next.reject(error),
    );
  }

  private wakeShared(): void {
    const waiting = this.waitingShared;
    this.waitingShared = [];
    for (const w of waiting) w.resolve();
  }

  private check(): void {
    if (this.ended) throw new Error('The database client was closed.');
  }

  /** The live, unheld connection with the fewest operations in flight; a new one while all are busy and there is room. */
  private pick(): ScopedConnection | undefined {
    let best: ScopedConnection | undefined;
    for (const conn of this.conns) {
      if (conn.reserved || conn.dead) continue;
      if (!best || conn.inflight < best.inflight) best = conn;
    }
    if ((!best || best.inflight > 0) && this.conns.length < this.config.max) best = this.open();
    return best;
  }

  /**
   * Runs `write` on a connection for single operations. `write` must write everything it sends
   * synchronously (ScopedConnection.run does): nothing else is written to the connection between
   * the choice and the write.
   */
  async shared<T>(write: (conn: ScopedConnection) => T): Promise<T> {
    for (;;) {
      this.check();
      const conn = this.pick();
      if (!conn) {
        // Every connection is held by a transaction: wait until one is given back.
        await new Promise<void>((resolve, reject) => this.waitingShared.push({ resolve, reject }));
        continue;
      }
      if (!conn.connected) {
        // Choose again once it is up: meanwhile a transaction may have taken it.
        await conn.ready;
        continue;
      }
      return write(conn);
    }
  }

  /** A connection held until `release`: for a transaction. */
  async reserve(): Promise<ScopedConnection> {
    this.check();
    const conn = this.pick();
    if (!conn) return new Promise((resolve, reject) => this.waitingHolders.push({ resolve, reject }));
    conn.reserved = true;
    try {
      await conn.ready;
    } catch (error) {
      conn.reserved = false;
      throw error;
    }
    return conn;
  }

  /** Gives a held connection back; one left inside a transaction block is closed instead. */
  release(conn: ScopedConnection): void {
    if (conn.dead) return;
    if (conn.status !== 'I' && conn.status !== null) {
      conn.destroy();
      return;
    }
    conn.reserved = false;
    if (this.waitingHolders.length > 0) this.handOver(conn);
    else this.wakeShared();
  }

  /** Live connections (tests and diagnostics). */
  get connections(): readonly ScopedConnection[] {
    return this.conns;
  }

  async end(): Promise<void> {
    this.ended = true;
    const closed = new Error('The database client was closed.');
    for (const w of this.waitingHolders.splice(0)) w.reject(closed);
    for (const w of this.waitingShared.splice(0)) w.reject(closed);
    await Promise.all(this.conns.splice(0).map((c) => c.client.end().catch(() => {})));
  }
}
