/**
 * The libSQL client for a local database file: `@libsql/client`'s own file client on one
 * connection (its transactions, migrations, pool and errors), with the two calls every API
 * request makes, `execute` and `batch`, run on that connection at once while nothing else holds
 * it. Each difference from the stock path was measured on the API benchmark (BENCHMARKS.md,
 * "The database layer"):
 *
 * - statements are prepared once and kept: the stock client prepares every statement on every
 *   call (the largest single cost of a read), reads its columns twice and probes each write with
 *   an exception;
 * - a statement written to end in `limit 1` is read with one native `get` rather than a
 *   100-row iterator: a third of a read request's CPU. A `get` that fails leaves the native
 *   statement unusable, so a statement whose step failed is dropped (issue 11: one row of
 *   malformed JSON broke a route for every project);
 * - batches run the same way, in their own transaction as the stock client runs them. (Batches
 *   of concurrent requests sharing one commit saved CPU per write, but made the writes' p95
 *   worse, not better, and made unrelated requests share a commit: gone.)
 * - a write first takes an exclusive `flock` on `<file>.writer` (`writerLock`): the serving
 *   threads' connections queue there, woken the moment the writer before them is done, instead
 *   of meeting SQLite's write lock, whose busy handler sleeps 1, 2, 5, 10… ms between tries
 *   (with two threads writing, the writes' p95 was 60 ms against 26 with one: BENCHMARKS.md).
 *
 * Rows, results and errors are shaped as the stock client shapes them, except that integers are
 * plain numbers (the schema keeps none beyond 2^53). The route tests also run on the stock
 * client (test/edge/stock_client_test.ts).
 *
 * @example
 * ```ts
 * const client = openFileClient(".data/app.db", { timeoutMs: 5000 });
 * const { rows } = await client.execute({ sql: "select 1 as one", args: [] });
 * ```
 */
import {
  type Client,
  type InArgs,
  type InStatement,
  type InValue,
  LibsqlBatchError,
  LibsqlError,
  type ResultSet,
  type Row,
  type TransactionMode,
} from "@libsql/client";
import { ConnectionPool, Sqlite3Client } from "@libsql/client/sqlite3";
import { ResultSetImpl, transactionModeToBegin } from "@libsql/core/util";
import Database from "libsql";
import { Buffer } from "node:buffer";

/** Distinct SQL texts kept prepared; the app has a few hundred at most. */
const KEPT_STATEMENTS = 500;
const LIMIT_ONE = /\blimit\s+1\s*$/i;
/** A statement that may write (a `with` that does is caught too; a select never is). */
const WRITES =
  /^\s*(?:insert|update|delete|replace)\b|^\s*with\b[\s\S]*\b(?:insert|update|delete)\b/i;

export function openFileClient(path: string, options: { timeoutMs: number }): Client {
  return new FileClient(new OneConnection(path, { timeout: options.timeoutMs }), writerLock(path));
}

/** Runs a write holding the writers' lock of the database at `path` (see the header). */
type WriterLock = <T>(write: () => T) => T;

function writerLock(path: string): WriterLock {
  // Each connection opens its own description of the file, so threads exclude each other too.
  // Kept open as long as the client object lives: a closed client may `reconnect()` and write.
  const file = Deno.openSync(`${path}.writer`, { read: true, write: true, create: true });
  return (write) => {
    file.lockSync(true);
    try {
      return write();
    } finally {
      file.unlockSync();
    }
  };
}

interface Kept {
  statement: Database.Statement;
  /** Null for a statement that returns no rows. */
  columns: string[] | null;
  columnTypes: string[];
  /** Ends in `limit 1`: read with `get`. */
  single: boolean;
}

/** The stock pool with one connection, which tells when nothing holds or awaits it. */
class OneConnection extends ConnectionPool {
  db: Database.Database | null = null;
  kept = new Map<string, Kept>();
  /** Stock calls holding or waiting for the connection. */
  #users = 0;

  constructor(path: string, options: Database.Options) {
    super(path, options, 1);
  }

  /** The connection, for a call that is done with it before it yields; null while it is busy. */
  free(): Database.Database | null {
    return this.#users === 0 && this.db?.open ? this.db : null;
  }

  override acquireSync(forTransaction?: boolean): Database.Database {
    const db = super.acquireSync(forTransaction);
    if (db !== this.db) [this.db, this.kept] = [db, new Map()];
    return db;
  }

  override async acquire(forTransaction?: boolean): Promise<Database.Database> {
    this.#users++;
    try {
      return await super.acquire(forTransaction);
    } catch (error) {
      this.#users--;
      throw error;
    }
  }

  override release(db: Database.Database): void {
    this.#users--;
    super.release(db);
  }
}

type Batch = Array<InStatement | [string, InArgs?]>;

class FileClient extends Sqlite3Client {
  constructor(private readonly pool: OneConnection, private readonly writing: WriterLock) {
    super(pool, "number");
  }

  override execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const db = this.closed ? null : this.pool.free();
    if (!db) return super.execute(stmtOrSql, args);
    try {
      const statement = statementOf(stmtOrSql, args);
      return Promise.resolve(
        WRITES.test(statement.sql)
          ? this.writing(() => this.#run(db, statement))
          : this.#run(db, statement),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  override batch(stmts: Batch, mode: TransactionMode = "deferred"): Promise<ResultSet[]> {
    const db = this.closed ? null : this.pool.free();
    if (!db) return super.batch(stmts, mode);
    const run = () => {
      db.exec(transactionModeToBegin(mode));
      try {
        const results = stmts.map((stmt, i) => this.#runInBatch(db, stmt, i));
        db.exec("COMMIT");
        return results;
      } finally {
        if (db.inTransaction) db.exec("ROLLBACK");
      }
    };
    try {
      const writes = mode === "write" || stmts.some((stmt) => WRITES.test(statementOf(stmt).sql));
      return Promise.resolve(writes ? this.writing(run) : run());
    } catch (error) {
      return Promise.reject(libsqlError(error));
    }
  }

  #runInBatch(db: Database.Database, stmt: Batch[number], index: number): ResultSet {
    try {
      return this.#run(db, statementOf(stmt));
    } catch (e) {
      if (!(e instanceof LibsqlError)) throw e;
      throw new LibsqlBatchError(e.message, index, e.code, e.extendedCode, e.rawCode, e);
    }
  }

  #run(db: Database.Database, { sql, args }: { sql: string; args: InArgs }): ResultSet {
    const kept = this.#kept(db, sql);
    try {
      const bound = Array.isArray(args) ? args.map(toSql) : named(args);
      const { statement, columns } = kept;
      if (!columns) {
        const info = statement.run(bound);
        return new ResultSetImpl([], [], [], info.changes, BigInt(info.lastInsertRowid));
      }
      const values = kept.single
        ? [statement.get(bound)].filter((v) => v !== undefined)
        : statement.all(bound);
      const rows = (values as unknown[][]).map((v) => rowOf(v, columns));
      return new ResultSetImpl(columns, kept.columnTypes, rows, 0, undefined);
    } catch (error) {
      // A statement whose step failed is not reset by libsql's `get`: prepare it afresh.
      if (this.pool.kept.get(sql) === kept) this.pool.kept.delete(sql);
      throw libsqlError(error);
    }
  }

  #kept(db: Database.Database, sql: string): Kept {
    const kept = this.pool.kept;
    let found = kept.get(sql);
    if (found) return found;
    try {
      const statement = db.prepare(sql);
      const columns = statement.reader ? statement.columns() : null;
      if (columns) statement.raw(true);
      found = {
        statement,
        columns: columns?.map((c) => c.name) ?? null,
        columnTypes: columns?.map((c) => c.type ?? "") ?? [],
        single: LIMIT_ONE.test(sql),
      };
    } catch (error) {
      throw libsqlError(error);
    }
    if (kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
    kept.set(sql, found);
    return found;
  }
}

function statementOf(stmt: Batch[number], args?: InArgs): { sql: string; args: InArgs } {
  if (typeof stmt === "string") return { sql: stmt, args: args ?? [] };
  if (Array.isArray(stmt)) return { sql: stmt[0], args: stmt[1] ?? [] };
  return { sql: stmt.sql, args: stmt.args ?? [] };
}

/** A row as the stock client builds it: values by index (not enumerable) and by column name. */
function rowOf(values: unknown[], columns: string[]): Row {
  const row = {};
  Object.defineProperty(row, "length", { value: values.length });
  for (let i = 0; i < values.length; i++) {
    let value = values[i];
    if (value instanceof Uint8Array) {
      value = value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
    }
    Object.defineProperty(row, i, { value });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) {
      Object.defineProperty(row, column, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
  }
  return row as Row;
}

/** Named arguments as the native driver binds them: without their `:`, `@` or `$`. */
function named(args: Record<string, InValue>): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    bound[/^[:@$]/.test(name) ? name.slice(1) : name] = toSql(value);
  }
  return bound;
}

/** Arguments as the stock client converts them. */
function toSql(value: InValue): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) {
    throw new TypeError("undefined cannot be passed as argument to the database");
  }
  return value;
}

/** Native errors as the stock client reports them: "SQLITE_CONSTRAINT: UNIQUE constraint …". */
function libsqlError(error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const native = error as Error & { code: string; rawCode?: number };
  // Base codes have no underscore of their own: SQLITE_CONSTRAINT_UNIQUE → SQLITE_CONSTRAINT.
  const base = native.code.split("_").slice(0, 2).join("_");
  return new LibsqlError(native.message, base, native.code, native.rawCode, native);
}
