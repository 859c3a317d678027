/**
 * A team of training lanes: the calling thread (lane 0) plus k − 1 worker threads, driven phase by
 * phase through one Int32 control array on a SharedArrayBuffer.
 *
 * Protocol: the coordinator writes the phase, its item count and a fresh claim tag, bumps SEQ and
 * notifies; every lane (the coordinator's included) claims items (blocks of rows, or jobs) until none
 * is left. The coordinator then closes the phase and waits only until every *claimed* item is
 * finished — never for a lane that claimed nothing — so a worker that the OS has not scheduled yet
 * costs nothing: the other lanes take its share (on a busy machine a barrier that waited for every
 * thread cost more than the work). Waits spin briefly before sleeping in Atomics.wait, because a
 * phase often lasts well under a millisecond. The API stays synchronous: the caller is a job thread
 * already.
 *
 * Data reach the workers as messages on a MessageChannel that they read synchronously with
 * receiveMessageOnPort (no event loop needed on either side); errors come back the same way.
 *
 * Threads never outlive a team: close() (called in a finally by trainGbdt, so on success, error and
 * cancel alike) tells the workers to leave their loop and terminates them.
 *
 * The worker code: compiled (dist/), worker.js next to this file is loaded. From TypeScript sources
 * (vitest), there is no .js next to it, so the worker first registers ts-source-hooks.mjs, which
 * transpiles the .ts sources with the TypeScript compiler (a devDependency) as Node loads them.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { HavenError } from '../../../errors/haven-error.js';
import { Lane, type LaneConfig } from './lane.js';
import { claimTag, CLOSED, CTRL, PHASE, type TrainArrays } from './train-arrays.js';

/** Lanes of a training run. */
export interface Team {
  /** Number of lanes (threads), the coordinator's included. */
  readonly nLanes: number;
  /** The control words (shared with the workers). */
  readonly ctrl: Int32Array;
  /** The coordinator's own lane (after start). */
  readonly lane: Lane;
  /**
   * Give every lane the arrays and config; call once, before the first phase.
   * @param a - arrays allocated with this team's `ctrl`
   * @param cfg - lane config
   */
  start(a: TrainArrays, cfg: LaneConfig): void;
  /**
   * Share a new histogram slot with every lane (its id is the number of slots before it).
   * @param h - a histogram on a buffer the workers can see
   */
  addSlot(h: Float64Array): void;
  /**
   * Run one phase: returns when all its items are done.
   * @param phase - a PHASE value
   * @param count - items in the phase (< 65,535)
   * @returns the phase's sequence number
   */
  run(phase: number, count: number): number;
  /** Stop and terminate the worker threads (idempotent). */
  close(): void;
}

/** Options of a thread team (tests and tuning). */
export interface ThreadTeamOptions {
  /** Module URL of the worker code (default: worker.js/worker.ts next to this file). */
  readonly entry?: string;
  /** Give up when no worker reports for this many one-second waits (default 300). */
  readonly stallSeconds?: number;
}

/** Spin iterations before a waiting thread sleeps. */
const SPIN = 20_000;

/** Worker threads started by teams and not yet exited (their 'exit' event). */
let live = 0;

/** Worker threads of training teams that have not exited yet (for tests and health checks). */
export function liveTrainingThreads(): number {
  return live;
}

/** A one-lane team: everything runs in the calling thread (threads = 1), no shared memory. */
class InlineTeam implements Team {
  readonly nLanes = 1;
  readonly ctrl = new Int32Array(CTRL.SIZE);
  private own: Lane | undefined;

  get lane(): Lane {
    if (this.own === undefined) {
      throw new Error('team not started');
    }
    return this.own;
  }

  start(a: TrainArrays, cfg: LaneConfig): void {
    this.own = new Lane(a, cfg, 0);
  }

  addSlot(h: Float64Array): void {
    this.lane.slots.push(h);
  }

  private seq = 0;

  run(phase: number, count: number): number {
    const s = ++this.seq;
    this.ctrl[CTRL.COUNT] = count;
    this.ctrl[CTRL.CLAIM] = claimTag(s);
    this.lane.run(phase, s);
    return s;
  }

  close(): void {
    // Nothing to stop.
  }
}

/** Boot code of a worker: load the lane code (registering the TypeScript hooks first when asked), or report why not. */
const BOOT = `
const { workerData: d } = require('node:worker_threads');
(async () => {
  if (d.hooks !== undefined) require('node:module').register(d.hooks);
  const m = await import(d.entry);
  m.serveLane(d);
})().catch((e) => {
  try { d.port.postMessage({ name: String(e && e.name), message: String(e && e.message) }); } catch {}
  Atomics.compareExchange(d.ctrl, ${CTRL.FAILED}, 0, d.lane + 1);
  Atomics.add(d.ctrl, ${CTRL.READY}, 1);
  Atomics.notify(d.ctrl, ${CTRL.READY});
});
`;

function defaultEntry(): { entry: string; hooks: string | undefined } {
  const fromSource = import.meta.url.endsWith('.ts');
  return {
    entry: new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url).href,
    hooks: fromSource ? new URL('./ts-source-hooks.mjs', import.meta.url).href : undefined,
  };
}

/** Lane 0 in the calling thread, lanes 1..k−1 in worker threads. */
class ThreadTeam implements Team {
  readonly ctrl = new Int32Array(new SharedArrayBuffer(CTRL.SIZE * 4));
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private own: Lane | undefined;
  private ready = false;
  private closed = false;
  private readonly stallSeconds: number;

  constructor(
    readonly nLanes: number,
    opts: ThreadTeamOptions,
  ) {
    this.stallSeconds = opts.stallSeconds ?? 300;
    const { entry, hooks } = opts.entry === undefined ? defaultEntry() : { entry: opts.entry, hooks: undefined };
    try {
      for (let lane = 1; lane < nLanes; lane++) {
        const { port1, port2 } = new MessageChannel();
        this.ports.push(port1);
        const w = new Worker(BOOT, {
          eval: true,
          name: `haven-ml-lane-${lane}`,
          workerData: { ctrl: this.ctrl, port: port2, lane, entry, hooks },
          transferList: [port2],
        });
        live++;
        w.once('exit', () => {
          live--;
        });
        // Errors are reported through the control array; the event only needs a listener.
        w.on('error', () => undefined);
        this.workers.push(w);
      }
    } catch (err) {
      this.close();
      throw new HavenError('HAVEN_INTERNAL', 'could not start training threads', { cause: err, detail: { component: 'ml-threads' } });
    }
  }

  get lane(): Lane {
    if (this.own === undefined) {
      throw new Error('team not started');
    }
    return this.own;
  }

  start(a: TrainArrays, cfg: LaneConfig): void {
    this.own = new Lane(a, cfg, 0);
    for (const p of this.ports) {
      p.postMessage({ kind: 'init', arrays: a, cfg });
    }
  }

  addSlot(h: Float64Array): void {
    this.lane.slots.push(h);
    for (const p of this.ports) {
      p.postMessage({ kind: 'slot', h });
    }
    Atomics.store(this.ctrl, CTRL.NSLOTS, this.lane.slots.length);
  }

  private seq = 0;

  run(phase: number, count: number): number {
    const c = this.ctrl;
    if (!this.ready) {
      this.waitFor(CTRL.READY, this.nLanes - 1, 60);
      this.ready = true;
    }
    const s = ++this.seq;
    Atomics.store(c, CTRL.COMPLETED, 0);
    Atomics.store(c, CTRL.COUNT, count);
    Atomics.store(c, CTRL.CLAIM, claimTag(s));
    Atomics.store(c, CTRL.PHASE, phase);
    Atomics.store(c, CTRL.SEQ, s);
    Atomics.notify(c, CTRL.SEQ);
    let own: unknown;
    try {
      this.lane.run(phase, s);
    } catch (err) {
      own = err;
    }
    // Close the phase: from now on no lane can claim an item of it.
    const claimed = Math.min(Atomics.exchange(c, CTRL.CLAIM, claimTag(s) | CLOSED) & 0xffff, count);
    this.waitFor(CTRL.COMPLETED, claimed, this.stallSeconds);
    if (own !== undefined) {
      throw own;
    }
    return s;
  }

  /** Wait until ctrl[at] ≥ want; throws when a worker failed or nothing moved for `stallSeconds`. */
  private waitFor(at: number, want: number, stallSeconds: number): void {
    const c = this.ctrl;
    let v = Atomics.load(c, at);
    for (let i = 0; i < SPIN && v < want && Atomics.load(c, CTRL.FAILED) === 0; i++) {
      v = Atomics.load(c, at);
    }
    let idle = 0;
    while (v < want && Atomics.load(c, CTRL.FAILED) === 0) {
      if (Atomics.wait(c, at, v, 1000) === 'timed-out' && ++idle >= stallSeconds) {
        throw new HavenError('HAVEN_INTERNAL', 'training threads stopped responding', { detail: { component: 'ml-threads', seconds: stallSeconds } });
      }
      const now = Atomics.load(c, at);
      idle = now === v ? idle : 0;
      v = now;
    }
    const failed = Atomics.load(c, CTRL.FAILED);
    if (failed !== 0) {
      throw this.workerError(failed - 1);
    }
  }

  private workerError(lane: number): HavenError {
    const msg = receiveMessageOnPort(this.ports[lane - 1]!)?.message as { name?: string; message?: string; code?: string } | undefined;
    const cause = new Error(msg?.message ?? 'unknown error');
    cause.name = msg?.name ?? 'Error';
    return new HavenError('HAVEN_INTERNAL', 'a training thread failed', { cause, detail: { component: 'ml-threads', lane, error: cause.name } });
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    Atomics.store(this.ctrl, CTRL.PHASE, PHASE.QUIT);
    Atomics.add(this.ctrl, CTRL.SEQ, 1);
    Atomics.notify(this.ctrl, CTRL.SEQ);
    for (const w of this.workers) {
      w.terminate().then(
        () => undefined,
        () => undefined,
      );
    }
    for (const p of this.ports) {
      p.close();
    }
  }
}

/**
 * A team of `threads` lanes: the calling thread alone for 1, plus worker threads above that.
 * Worker threads start loading their code at once, while the caller prepares the data.
 * @param threads - lanes (≥ 1)
 * @param opts - worker entry and stall limit (tests)
 */
export function createTeam(threads: number, opts: ThreadTeamOptions = {}): Team {
  return threads <= 1 ? new InlineTeam() : new ThreadTeam(threads, opts);
}
