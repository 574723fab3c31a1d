/**
 * The libSQL `Client` for the embedded database (`file:` URLs), on the same native `libsql`
 * driver that `@libsql/client` uses for files, with differences that matter on the API's hot
 * path:
 *
 * - statements are prepared once and kept (the stock client prepares every statement on every
 *   call: SQL parsing was the largest single cost of a read request); one that fails is dropped,
 *   so a failure stays with the call that met it;
 * - one connection, used synchronously. Every call but an interactive transaction's finishes
 *   within one turn of the event loop, so calls cannot interleave; an open interactive
 *   transaction owns the connection and other calls wait for it to settle;
 * - a statement that ends in `limit 1` is read with one native call rather than through a row
 *   iterator, which halves the cost of the one-row lookups every request makes.
 *
 * Results have the stock client's shape: rows readable by column name and by index.
 * Integers come back as JavaScript numbers; the schema keeps none beyond 2^53 (times in ms,
 * counts, byte sizes).
 *
 * @example
 * ```ts
 * const client = openEmbeddedClient(".data/app.db", { timeoutMs: 5000 });
 * const { rows } = await client.execute({ sql: "select 1 as one", args: [] });
 * ```
 */
import type {
  Client,
  InArgs,
  InStatement,
  InValue,
  Replicated,
  ResultSet,
  Row,
  Transaction,
  TransactionMode,
} from "@libsql/client";
import { LibsqlBatchError, LibsqlError } from "@libsql/client";
import Database from "libsql";
import { Buffer } from "node:buffer";
import { setImmediate } from "node:timers";
import { type Checkpointer, FALLBACK_CHECKPOINT_PAGES, startCheckpointer } from "./checkpointer.ts";

/** Distinct SQL texts kept prepared; the app has a few hundred at most. */
const STATEMENT_CACHE_SIZE = 500;

const BEGIN: Record<TransactionMode, string> = {
  write: "BEGIN IMMEDIATE",
  read: "BEGIN TRANSACTION READONLY",
  deferred: "BEGIN DEFERRED",
};

type NativeStatement = Database.Statement;
type Statement = { sql: string; args: InValue[] | Record<string, InValue> };

interface Prepared {
  statement: NativeStatement;
  columnTypes: string[];
  /** Ends in `limit 1`: read with one native call instead of a row iterator. */
  single: boolean;
  /** Makes this statement's rows (see RowShape); null for statements that return no rows. */
  shape: RowShape | null;
}

/** A statement written to end in `limit 1` returns at most one row. */
const LIMIT_ONE = /\blimit\s+1\s*$/i;

export interface EmbeddedClientOptions {
  /** How long a write waits for another process's lock before failing with SQLITE_BUSY. */
  timeoutMs: number;
  /** Checkpoint the write-ahead log from a worker thread (see checkpointer.ts). */
  backgroundCheckpoints?: {
    intervalMs: number;
    log: (line: Record<string, unknown>) => void;
  };
}

export function openEmbeddedClient(path: string, options: EmbeddedClientOptions): Client {
  return new EmbeddedClient(path, options);
}

class EmbeddedClient implements Client {
  closed = false;
  readonly protocol = "file";
  #db: Database.Database;
  #cache = new Map<string, Prepared>();
  /** Settles when the open interactive transaction does; null when there is none. */
  #transactionDone: Promise<void> | null = null;
  #checkpointer: Checkpointer | null = null;
  /** Batches waiting for this turn's group commit. */
  #group: Array<{
    stmts: Array<InStatement | [string, InArgs?]>;
    resolve: (results: ResultSet[]) => void;
    reject: (error: unknown) => void;
  }> = [];

  constructor(readonly path: string, readonly options: EmbeddedClientOptions) {
    this.#db = open(path, options);
    this.#startCheckpointer();
  }

  execute(stmt: InStatement): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  async execute(stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> {
    await this.#turn();
    return this.#run(normalize(stmtOrSql, args));
  }

  /**
   * Batches asked for in the same turn of the event loop commit together (group commit): one
   * transaction, each batch inside its own savepoint, so each is still all or nothing and a
   * failing one rolls back alone. Nobody hears of a batch before the shared commit is done.
   * Every batch runs in that write transaction, so the mode argument has nothing to choose.
   */
  async batch(stmts: Array<InStatement | [string, InArgs?]>): Promise<ResultSet[]> {
    await this.#turn();
    return new Promise((resolve, reject) => {
      this.#group.push({ stmts, resolve, reject });
      if (this.#group.length === 1) setImmediate(() => this.#commitGroup());
    });
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    await this.#turn();
    this.#db.exec("PRAGMA foreign_keys = off");
    try {
      return this.#atomically(BEGIN.deferred, () => this.#runEach(stmts));
    } finally {
      this.#db.exec("PRAGMA foreign_keys = on");
    }
  }

  async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
    await this.#turn();
    this.#sql(BEGIN[mode]);
    let settle!: () => void;
    this.#transactionDone = new Promise((resolve) => settle = resolve);
    return new EmbeddedTransaction(this.#run.bind(this), this.#sql.bind(this), () => {
      this.#transactionDone = null;
      settle();
    }, () => this.#db.open && this.#db.inTransaction);
  }

  async executeMultiple(sql: string): Promise<void> {
    await this.#turn();
    this.#sql(sql);
  }

  sync(): Promise<Replicated> {
    return Promise.reject(
      new LibsqlError("sync is for embedded replicas; this is a local file", "SYNC_NOT_SUPPORTED"),
    );
  }

  close(): void {
    this.closed = true;
    this.#checkpointer?.stop();
    this.#checkpointer = null;
    this.#cache.clear();
    if (this.#db.open) this.#db.close();
  }

  reconnect(): void {
    this.close();
    this.#db = open(this.path, this.options);
    this.#startCheckpointer();
    this.closed = false;
  }

  #startCheckpointer(): void {
    const background = this.options.backgroundCheckpoints;
    if (!background) return;
    this.#sql(`PRAGMA wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
    this.#checkpointer = startCheckpointer(this.path, background);
  }

  /** Waits while an interactive transaction owns the connection. */
  async #turn(): Promise<void> {
    while (this.#transactionDone) await this.#transactionDone;
    if (this.closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
  }

  #commitGroup(): void {
    // An interactive transaction opened meanwhile owns the connection: commit after it.
    if (this.#transactionDone) {
      this.#transactionDone.then(() => this.#commitGroup());
      return;
    }
    const group = this.#group;
    this.#group = [];
    const outcomes: Array<{ ok: true; value: ResultSet[] } | { ok: false; error: unknown }> = [];
    try {
      this.#atomically(BEGIN.write, () => {
        for (const { stmts } of group) {
          this.#sql("SAVEPOINT batch");
          try {
            outcomes.push({ ok: true, value: this.#runEach(stmts) });
          } catch (error) {
            this.#sql("ROLLBACK TO batch");
            outcomes.push({ ok: false, error });
          } finally {
            this.#sql("RELEASE batch");
          }
        }
      });
    } catch (error) {
      // The shared transaction itself failed (busy, disk full): none of it was kept.
      for (const batch of group) batch.reject(error);
      return;
    }
    group.forEach((batch, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) batch.resolve(outcome.value);
      else batch.reject(outcome.error);
    });
  }

  #atomically<T>(begin: string, work: () => T): T {
    this.#sql(begin);
    try {
      const result = work();
      this.#sql("COMMIT");
      return result;
    } finally {
      if (this.#db.inTransaction) this.#sql("ROLLBACK");
    }
  }

  #runEach(stmts: Array<InStatement | [string, InArgs?]>): ResultSet[] {
    return stmts.map((stmt, index) => {
      try {
        return this.#run(Array.isArray(stmt) ? normalize(stmt[0], stmt[1]) : normalize(stmt));
      } catch (error) {
        if (error instanceof LibsqlError) {
          throw new LibsqlBatchError(
            error.message,
            index,
            error.code,
            error.extendedCode,
            error.rawCode,
            error,
          );
        }
        throw error;
      }
    });
  }

  #sql(sql: string): void {
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw libsqlError(error);
    }
  }

  #run(stmt: Statement): ResultSet {
    let prepared: Prepared;
    let args: ReturnType<typeof bindable>;
    try {
      prepared = this.#prepare(stmt.sql);
      args = bindable(stmt.args);
    } catch (error) {
      throw libsqlError(error);
    }
    try {
      return this.#step(prepared, args);
    } catch (error) {
      // A native statement whose step failed is not reset: libsql's `get` then fails the same
      // way for every later caller, whatever their arguments (one row of malformed JSON broke a
      // route for every project). The failed statement is dropped; the next caller prepares
      // it afresh.
      if (this.#cache.get(stmt.sql) === prepared) this.#cache.delete(stmt.sql);
      throw libsqlError(error);
    }
  }

  #step(prepared: Prepared, args: unknown[] | Record<string, unknown>): ResultSet {
    const shape = prepared.shape;
    if (shape === null) {
      const info = prepared.statement.run(args);
      return new Result([], [], [], info.changes, BigInt(info.lastInsertRowid));
    }
    let rows: Row[];
    if (prepared.single) {
      const values = prepared.statement.get(args) as unknown[] | undefined;
      rows = values === undefined ? [] : [shape.row(values)];
    } else {
      rows = (prepared.statement.all(args) as unknown[][]).map((v) => shape.row(v));
    }
    return new Result(shape.columns, prepared.columnTypes, rows, 0, undefined);
  }

  #prepare(sql: string): Prepared {
    const cached = this.#cache.get(sql);
    if (cached) return cached;
    const statement = this.#db.prepare(sql);
    const columns = statement.reader ? statement.columns() : null;
    if (columns) statement.raw(true);
    const prepared: Prepared = {
      statement,
      columnTypes: columns?.map((c) => c.type ?? "") ?? [],
      single: LIMIT_ONE.test(sql),
      shape: columns ? new RowShape(columns.map((c) => c.name)) : null,
    };
    if (this.#cache.size >= STATEMENT_CACHE_SIZE) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(sql, prepared);
    return prepared;
  }
}

/** A transaction on the client's one connection; the client waits until it settles. */
class EmbeddedTransaction implements Transaction {
  #open = true;

  constructor(
    private readonly run: (stmt: Statement) => ResultSet,
    private readonly sql: (sql: string) => void,
    private readonly release: () => void,
    private readonly inTransaction: () => boolean,
  ) {}

  get closed(): boolean {
    return !this.#open || !this.inTransaction();
  }

  execute(stmt: InStatement): Promise<ResultSet> {
    return Promise.resolve().then(() => this.run(normalize(this.#check(stmt))));
  }

  batch(stmts: InStatement[]): Promise<ResultSet[]> {
    return Promise.resolve().then(() => this.#check(stmts).map((s) => this.run(normalize(s))));
  }

  executeMultiple(sql: string): Promise<void> {
    return Promise.resolve().then(() => this.sql(this.#check(sql)));
  }

  commit(): Promise<void> {
    return Promise.resolve().then(() => {
      try {
        this.sql(this.#check("COMMIT"));
      } finally {
        this.close();
      }
    });
  }

  rollback(): Promise<void> {
    return Promise.resolve().then(() => this.close());
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      if (this.inTransaction()) this.sql("ROLLBACK");
    } finally {
      this.release();
    }
  }

  #check<T>(value: T): T {
    if (this.closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    return value;
  }
}

class Result implements ResultSet {
  constructor(
    readonly columns: string[],
    readonly columnTypes: string[],
    readonly rows: Row[],
    readonly rowsAffected: number,
    readonly lastInsertRowid: bigint | undefined,
  ) {}

  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((row) => Array.prototype.map.call(row, jsonValue)),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid === undefined ? null : String(this.lastInsertRowid),
    };
  }
}

function open(path: string, options: EmbeddedClientOptions): Database.Database {
  try {
    return new Database(path, { timeout: options.timeoutMs });
  } catch (error) {
    throw libsqlError(error);
  }
}

function normalize(stmtOrSql: InStatement, args?: InArgs): Statement {
  if (typeof stmtOrSql === "string") return { sql: stmtOrSql, args: args ?? [] };
  return { sql: stmtOrSql.sql, args: stmtOrSql.args ?? [] };
}

/** Arguments as the native driver binds them (named ones without their `:`, `@` or `$`). */
function bindable(args: InValue[] | Record<string, InValue>): unknown[] | Record<string, unknown> {
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    named[/^[:@$]/.test(name) ? name.slice(1) : name] = toSql(value);
  }
  return named;
}

function toSql(value: InValue): unknown {
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) {
        throw new RangeError("Only finite numbers (not Infinity or NaN) can be stored");
      }
      return value;
    case "boolean":
      return value ? 1 : 0;
    case "undefined":
      throw new TypeError("undefined cannot be passed as argument to the database");
  }
  if (value instanceof Date) return value.valueOf();
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return value;
}

/**
 * Rows as the stock client gives them: the named columns are enumerable own properties, and the
 * indexes and `length` are not enumerable. Defining those on every row was a visible share of a
 * cheap read's cost, so they live on one prototype per statement whose index getters read the
 * named properties. Statements with duplicate column names (the first name wins, so some values
 * have only an index) get rows built the slow way.
 */
class RowShape {
  readonly #proto: object | null;

  constructor(readonly columns: string[]) {
    this.#proto = null;
    if (new Set(columns).size < columns.length) return;
    const proto: PropertyDescriptorMap = { length: { value: columns.length } };
    columns.forEach((column, i) => {
      proto[i] = {
        get: function (this: Record<string, unknown>) {
          return this[column];
        },
      };
    });
    this.#proto = Object.create(Object.prototype, proto);
  }

  row(values: unknown[]): Row {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value instanceof Uint8Array) {
        values[i] = value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
      }
    }
    if (this.#proto === null) return rowWithDuplicateNames(values, this.columns);
    const row = Object.create(this.#proto) as Record<string, unknown>;
    for (let i = 0; i < values.length; i++) row[this.columns[i]!] = values[i];
    return row as unknown as Row;
  }
}

function rowWithDuplicateNames(values: unknown[], columns: string[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, "length", { value: values.length });
  for (let i = 0; i < values.length; i++) {
    Object.defineProperty(row, i, { value: values[i] });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) row[column] = values[i];
  }
  return row as unknown as Row;
}

function jsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return String(value);
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString("base64");
  return value;
}

/** Native errors as the stock client reports them ("SQLITE_CONSTRAINT: UNIQUE constraint ..."). */
function libsqlError(error: unknown): unknown {
  if (error instanceof Database.SqliteError) {
    const native = error as Error & { code: string; rawCode?: number };
    const base = native.rawCode === undefined ? undefined : BASE_CODES[native.rawCode & 0xff];
    return new LibsqlError(
      native.message,
      base ?? native.code,
      native.code,
      native.rawCode,
      native,
    );
  }
  return error;
}

const BASE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  8: "SQLITE_READONLY",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  19: "SQLITE_CONSTRAINT",
  20: "SQLITE_MISMATCH",
  25: "SQLITE_RANGE",
  26: "SQLITE_NOTADB",
};
