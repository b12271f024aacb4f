import type { Database, Statement } from 'better-sqlite3';
import type { StopCause } from './run-stops';
import {
  FINAL_TASK_STATES,
  isFinalTaskState,
  type PreflightLeftOut,
  type RunSummary,
  type RunTask,
  type RunView,
  type TaskState,
} from '../../../shared/station/models';
import { DUE_OUTBOX_STATUSES, SETTLED_OUTBOX_STATUSES } from '../../../shared/station/outbox-statuses';
import { sqlList } from '../db/sql-list';

/** A task as the run's logic sees it: the public task plus where it belongs. */
export interface StoredTask extends RunTask {
  id: number;
  runId: number;
  orderId: number;
  itemId: number | null;
  /** A run's stop left it not attempted (or failed it on the cause itself): resuming the run revives it. */
  resumable: boolean;
  /** Read-backs that could not be made so far, and when the next may be (epoch ms; null: at once). */
  verifyAttempts: number;
  verifyNextAt: number | null;
}

export interface TaskChange {
  state: TaskState;
  reason?: string | null;
  actionResult?: number | null;
  apiCode?: number | null;
  itemId?: number | null;
  resumable?: boolean;
  verifyAttempts?: number;
  verifyNextAt?: number | null;
}

/** Where a key was on the bench when its run took it: the operator finds it by these. */
export interface KeyPlace {
  plugOrder: number;
  usbPath: string | null;
  model: number;
}

interface TaskRow {
  id: number;
  run_id: number;
  order_id: number;
  dongle_id: number;
  state: TaskState;
  reason: string | null;
  action_result: number | null;
  api_code: number | null;
  item_id: number | null;
  updated_at: number;
  plug_order: number | null;
  usb_path: string | null;
  model: number | null;
  left_out: PreflightLeftOut | null;
  resumable: number;
  verify_attempts: number;
  verify_next_at: number | null;
}

interface RunRow {
  id: number;
  order_id: number;
  status: 'running' | 'finished';
  stop_reason: string | null;
  stop_cause: StopCause | null;
  created_at: number;
  updated_at: number;
}

const FINAL = JSON.stringify(FINAL_TASK_STATES);

/**
 * "state NOT IN ('written', 'failed', 'skipped', 'cancelled')", generated from FINAL_TASK_STATES. It is
 * spelled exactly as the partial index run_tasks_open_by_dongle's condition (migrations 002 and 003), so
 * the planner may use that index; a test holds the two together.
 */
export const openTaskCondition = (column: string) =>
  `${column} NOT IN (${FINAL_TASK_STATES.map((state) => `'${state}'`).join(', ')})`;

const taskOf = (row: TaskRow): StoredTask => ({
  id: row.id,
  runId: row.run_id,
  orderId: row.order_id,
  dongleId: row.dongle_id,
  state: row.state,
  reason: row.reason,
  actionResult: row.action_result,
  apiCode: row.api_code,
  itemId: row.item_id,
  updatedAt: row.updated_at,
  plugOrder: row.plug_order,
  usbPath: row.usb_path,
  model: row.model,
  leftOut: row.left_out,
  resumable: row.resumable === 1,
  verifyAttempts: row.verify_attempts,
  verifyNextAt: row.verify_next_at,
});

const TASK_COLUMNS = `t.id, t.run_id, r.order_id, t.dongle_id, t.state, t.reason, t.action_result, t.api_code,
  t.item_id, t.updated_at, t.plug_order, t.usb_path, t.model, t.left_out, t.resumable, t.verify_attempts,
  t.verify_next_at`;

/** The runs and their tasks in the station database: rows in, rows out, no decisions. */
export class RunStore {
  private readonly insertRun: Statement<[number, number, number]>;
  private readonly insertTask: Statement<Record<string, unknown>>;
  private readonly updateTask: Statement<Record<string, unknown>>;
  private readonly tasksOfItem: Statement<[number], TaskRow>;
  private readonly failedOfItem: Statement<[number], TaskRow>;
  private readonly reviveTask: Statement<Record<string, unknown>>;
  private readonly tasksOfRun: Statement<[number], TaskRow>;
  private readonly openTasksOfDongles: Statement<[string], { dongle_id: number; run_id: number }>;
  private readonly waitingOnSettled: Statement<[], TaskRow>;
  private readonly runById: Statement<[number], RunRow>;
  private readonly recentRuns: Statement<[number], RunRow>;
  private readonly countsOf: Statement<[number], { state: TaskState; n: number }>;
  private readonly finishIfDone: Statement<[number, number]>;
  private readonly unreachable: Statement<[number], { id: number }>;

  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
  ) {
    this.insertRun = db.prepare(
      `INSERT INTO runs (order_id, status, created_at, updated_at) VALUES (?, 'running', ?, ?)`,
    );
    this.insertTask = db.prepare(
      `INSERT INTO run_tasks (run_id, dongle_id, state, reason, item_id, api_code, updated_at, plug_order,
         usb_path, model, left_out)
        VALUES (@runId, @dongleId, @state, @reason, @itemId, @apiCode, @now, @plugOrder, @usbPath, @model,
          @leftOut)`,
    );
    // Only a task that is still waiting moves: applying an outcome twice (after a crash) changes nothing.
    this.updateTask = db.prepare(
      `UPDATE run_tasks SET state = @state, reason = @reason, action_result = @actionResult,
         api_code = @apiCode, item_id = @itemId, resumable = @resumable, verify_attempts = @verifyAttempts,
         verify_next_at = @verifyNextAt, updated_at = @now
       WHERE id = @id AND state NOT IN (SELECT value FROM json_each('${FINAL}'))`,
    );
    this.tasksOfItem = db.prepare(
      `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id
        WHERE t.item_id = ? AND t.state NOT IN (SELECT value FROM json_each('${FINAL}'))`,
    );
    this.failedOfItem = db.prepare(
      `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id
        WHERE t.item_id = ? AND t.state = 'failed'`,
    );
    this.reviveTask = db.prepare(
      `UPDATE run_tasks SET state = @state, reason = @reason, action_result = @actionResult,
         api_code = @apiCode, item_id = @itemId, updated_at = @now
        WHERE id = @id AND state = 'failed'`,
    );
    this.tasksOfRun = db.prepare(
      `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id WHERE t.run_id = ? ORDER BY t.id`,
    );
    this.openTasksOfDongles = db.prepare(
      `SELECT dongle_id, run_id FROM run_tasks INDEXED BY run_tasks_open_by_dongle
        WHERE ${openTaskCondition('state')}
          AND dongle_id IN (SELECT value FROM json_each(?))`,
    );
    this.waitingOnSettled = db.prepare(
      `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id JOIN outbox o ON o.id = t.item_id
        WHERE r.status = 'running' AND t.state NOT IN (SELECT value FROM json_each('${FINAL}'))
          AND o.status IN (${sqlList(SETTLED_OUTBOX_STATUSES)})`,
    );
    this.runById = db.prepare('SELECT * FROM runs WHERE id = ?');
    this.recentRuns = db.prepare(`SELECT * FROM runs ORDER BY status = 'running' DESC, id DESC LIMIT ?`);
    this.countsOf = db.prepare('SELECT state, COUNT(*) AS n FROM run_tasks WHERE run_id = ? GROUP BY state');
    this.finishIfDone = db.prepare(
      `UPDATE runs SET status = 'finished', updated_at = ?
        WHERE id = ? AND status = 'running' AND NOT EXISTS (
          SELECT 1 FROM run_tasks WHERE run_id = runs.id
             AND state NOT IN (SELECT value FROM json_each('${FINAL}')))`,
    );
    // A task waits on the server while its item is postponed for want of it (the worker's own words).
    this.unreachable = db.prepare(
      `SELECT t.id FROM run_tasks t JOIN outbox o ON o.id = t.item_id
        WHERE t.run_id = ? AND t.state IN ('adding', 'writing') AND o.status IN (${sqlList(DUE_OUTBOX_STATUSES)})
          AND o.last_error LIKE 'Server unreachable%'`,
    );
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  createRun(orderId: number): number {
    const now = this.clock();
    return Number(this.insertRun.run(orderId, now, now).lastInsertRowid);
  }

  addTask(
    runId: number,
    dongleId: number,
    state: TaskState,
    reason: string | null,
    itemId: number | null,
    apiCode: number | null = null,
    place: KeyPlace | null = null,
    leftOut: PreflightLeftOut | null = null,
  ): void {
    this.insertTask.run({
      runId,
      dongleId,
      state,
      reason,
      itemId,
      apiCode,
      now: this.clock(),
      plugOrder: place?.plugOrder ?? null,
      usbPath: place?.usbPath ?? null,
      model: place?.model ?? null,
      leftOut,
    });
  }

  /** Applies the change unless the task has already reached a final state; true when it moved. */
  move(task: StoredTask, change: TaskChange): boolean {
    return (
      this.updateTask.run({
        id: task.id,
        state: change.state,
        reason: change.reason === undefined ? task.reason : change.reason,
        actionResult: change.actionResult === undefined ? task.actionResult : change.actionResult,
        apiCode: change.apiCode === undefined ? task.apiCode : change.apiCode,
        itemId: change.itemId === undefined ? task.itemId : change.itemId,
        resumable: (change.resumable ?? task.resumable) ? 1 : 0,
        verifyAttempts: change.verifyAttempts ?? task.verifyAttempts,
        verifyNextAt: change.verifyNextAt === undefined ? task.verifyNextAt : change.verifyNextAt,
        now: this.clock(),
      }).changes === 1
    );
  }

  /**
   * skipped or failed → on again, for a task its run's stop marked resumable: the run is resumed. The
   * one other move out of a final state (see revive); the mark is spent, so a resume applies once.
   */
  resumeTask(task: StoredTask, change: TaskChange): boolean {
    return (
      this.db
        .prepare(
          `UPDATE run_tasks SET state = @state, reason = @reason, action_result = @actionResult,
             api_code = NULL, item_id = @itemId, resumable = 0, verify_attempts = 0, verify_next_at = NULL,
             updated_at = @now
            WHERE id = @id AND resumable = 1 AND state IN ('skipped', 'failed')`,
        )
        .run({
          id: task.id,
          state: change.state,
          reason: change.reason ?? null,
          actionResult: change.actionResult ?? null,
          itemId: change.itemId === undefined ? task.itemId : change.itemId,
          now: this.clock(),
        }).changes === 1
    );
  }

  /** The tasks a stop of this run left resumable. */
  resumableOf(runId: number): StoredTask[] {
    return this.db
      .prepare<[number], TaskRow>(
        `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id
          WHERE t.run_id = ? AND t.resumable = 1 ORDER BY t.id`,
      )
      .all(runId)
      .map(taskOf);
  }

  /** The stop is lifted: the run runs again, its cause and banner gone. */
  clearStop(runId: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE runs SET stop_reason = NULL, stop_cause = NULL, status = 'running', updated_at = ?
            WHERE id = ? AND stop_reason IS NOT NULL`,
        )
        .run(this.clock(), runId).changes === 1
    );
  }

  stopCauseOf(runId: number): StopCause | null {
    return this.runById.get(runId)?.stop_cause ?? null;
  }

  /** Tasks of these keys in this state (waiting-for-key: their held writes; writing: their writes). */
  tasksOfKeysIn(state: TaskState, dongleIds: readonly number[]): StoredTask[] {
    return this.db
      .prepare<[string, string], TaskRow>(
        // The open-task condition is spelled as the partial index's, so the planner may use the index.
        `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id
          WHERE t.state = ? AND ${openTaskCondition('t.state')}
            AND t.dongle_id IN (SELECT value FROM json_each(?)) ORDER BY t.id`,
      )
      .all(state, JSON.stringify(dongleIds))
      .map(taskOf);
  }

  /** Every task waiting for its key, of any run: a restart looks whether their keys are back. */
  waitingForKeys(): StoredTask[] {
    return this.db
      .prepare<[], TaskRow>(
        `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id
          WHERE t.state = 'waiting-for-key' AND ${openTaskCondition('t.state')}
          ORDER BY t.id`,
      )
      .all()
      .map(taskOf);
  }

  /** Tasks that failed on this item: it was retried from the Queue. */
  failedOn(itemId: number): StoredTask[] {
    return this.failedOfItem.all(itemId).map(taskOf);
  }

  /**
   * failed → written or writing, the one move out of a final state: the item the task failed on was
   * retried from the Queue and succeeded.
   */
  revive(task: StoredTask, change: TaskChange): boolean {
    return (
      this.reviveTask.run({
        id: task.id,
        state: change.state,
        reason: change.reason ?? null,
        actionResult: change.actionResult ?? null,
        apiCode: change.apiCode ?? null,
        itemId: change.itemId === undefined ? task.itemId : change.itemId,
        now: this.clock(),
      }).changes === 1
    );
  }

  /** A finished run that has work again (an item of it retried from the Queue) is running again. */
  reopen(runId: number): void {
    this.db
      .prepare(`UPDATE runs SET status = 'running', updated_at = ? WHERE id = ? AND status = 'finished'`)
      .run(this.clock(), runId);
  }

  /** Tasks still waiting on this outbox item. */
  waitingOn(itemId: number): StoredTask[] {
    return this.tasksOfItem.all(itemId).map(taskOf);
  }

  /** Tasks of running runs whose item settled without the outcome reaching them (a crash in between). */
  waitingOnSettledItems(): StoredTask[] {
    return this.waitingOnSettled.all().map(taskOf);
  }

  /** Tasks whose write succeeded and whose read-back has not settled yet (a restart verifies them). */
  verifyingTasks(): StoredTask[] {
    return this.db
      .prepare<[], TaskRow>(
        `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id WHERE t.state = 'verifying'
          ORDER BY t.id`,
      )
      .all()
      .map(taskOf);
  }

  /** Key id → run id, for the keys that some run has not finished with. */
  openTasksOf(dongleIds: number[]): Map<number, number> {
    return new Map(
      this.openTasksOfDongles.all(JSON.stringify(dongleIds)).map((r) => [r.dongle_id, r.run_id]),
    );
  }

  /** Marks the run finished once no task waits any more; true when this call finished it. */
  finishIfSettled(runId: number): boolean {
    return this.finishIfDone.run(this.clock(), runId).changes === 1;
  }

  summary(runId: number): RunSummary | null {
    const row = this.runById.get(runId);
    return row ? this.summaryOf(row) : null;
  }

  view(runId: number): RunView | null {
    const row = this.runById.get(runId);
    if (!row) return null;
    const waitingForServer = new Set(this.unreachable.all(runId).map((r) => r.id));
    const tasks = this.tasksOfRun.all(runId).map((r) => {
      const {
        id,
        runId: _run,
        orderId: _order,
        itemId: _item,
        resumable: _resumable,
        verifyAttempts: _attempts,
        verifyNextAt: _next,
        ...task
      } = taskOf(r);
      return waitingForServer.has(id) ? { ...task, state: 'waiting-for-server' as const } : task;
    });
    return { ...this.summaryOf(row), tasks };
  }

  list(limit: number): RunSummary[] {
    return this.recentRuns.all(limit).map((row) => this.summaryOf(row));
  }

  /** Records why the run stops short; true the first time only. */
  stop(runId: number, reason: string, cause: StopCause | null = null): boolean {
    return (
      this.db
        .prepare(
          'UPDATE runs SET stop_reason = ?, stop_cause = ?, updated_at = ? WHERE id = ? AND stop_reason IS NULL',
        )
        .run(reason, cause, this.clock(), runId).changes === 1
    );
  }

  stopReasonOf(runId: number): string | null {
    return this.runById.get(runId)?.stop_reason ?? null;
  }

  /**
   * The run's tasks whose write is queued but was never sent, or held for its key: stopping the run can
   * still spare them.
   */
  unsentWrites(runId: number): StoredTask[] {
    return this.db
      .prepare<[number], TaskRow>(
        `SELECT ${TASK_COLUMNS} FROM run_tasks t JOIN runs r ON r.id = t.run_id JOIN outbox o ON o.id = t.item_id
          WHERE t.run_id = ? AND t.state IN ('writing', 'waiting-for-key') AND o.status = 'pending'`,
      )
      .all(runId)
      .map(taskOf);
  }

  /** Deletes finished runs (and their tasks) last changed before the cutoff. */
  pruneFinished(before: number): number {
    return this.db.prepare(`DELETE FROM runs WHERE status = 'finished' AND updated_at < ?`).run(before)
      .changes;
  }

  private summaryOf(row: RunRow): RunSummary {
    const counts = { total: 0, done: 0, written: 0, failed: 0, skipped: 0, cancelled: 0 };
    for (const { state, n } of this.countsOf.all(row.id)) {
      counts.total += n;
      if (isFinalTaskState(state)) {
        counts.done += n;
        counts[state] += n;
      }
    }
    return {
      id: row.id,
      orderId: row.order_id,
      status: row.status,
      stopReason: row.stop_reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      counts,
    };
  }
}
