/**
 * The code a training worker thread runs (loaded by team.ts's boot snippet). Compute only: it waits
 * for a phase, runs its lane's share, reports, and repeats until told to quit. No I/O, no clock.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Lane, type LaneConfig } from './lane.js';
import { CTRL, PHASE, type TrainArrays } from './train-arrays.js';

/** What the boot snippet hands over (the Worker's workerData). */
export interface WorkerBoot {
  readonly ctrl: Int32Array;
  readonly port: MessagePort;
  /** This worker's lane index (≥ 1). */
  readonly lane: number;
}

type Message = { kind: 'init'; arrays: TrainArrays; cfg: LaneConfig } | { kind: 'slot'; h: Float64Array };

const SPIN = 20_000;

/** Wait (spin, then sleep) until SEQ moves past `seen`; returns the new value. */
function nextSeq(ctrl: Int32Array, seen: number): number {
  for (let i = 0; i < SPIN; i++) {
    const s = Atomics.load(ctrl, CTRL.SEQ);
    if (s !== seen) {
      return s;
    }
  }
  for (;;) {
    Atomics.wait(ctrl, CTRL.SEQ, seen);
    const s = Atomics.load(ctrl, CTRL.SEQ);
    if (s !== seen) {
      return s;
    }
  }
}

/** Apply queued messages: the lane's arrays first, then every histogram slot shared so far. */
function drain(d: WorkerBoot, lane: Lane | undefined): Lane {
  let l = lane;
  for (;;) {
    if (l !== undefined && l.slots.length >= Atomics.load(d.ctrl, CTRL.NSLOTS)) {
      return l;
    }
    // The coordinator posts before it bumps SEQ, so the message is already queued.
    const got = receiveMessageOnPort(d.port);
    if (got === undefined) {
      throw new Error(l === undefined ? 'lane started without its arrays' : 'histogram slot message missing');
    }
    const m = got.message as Message;
    if (m.kind === 'init') {
      l = new Lane(m.arrays, m.cfg, d.lane);
    } else if (l !== undefined) {
      l.slots.push(m.h);
    }
  }
}

/**
 * Serve phases until QUIT. An item's error is posted (name and message only) before the failure is
 * flagged, so the coordinator always finds the message; the loop goes on until the coordinator, which
 * then throws, stops the team.
 * @param d - the boot data
 */
export function serveLane(d: WorkerBoot): void {
  const { ctrl } = d;
  let seen = Atomics.load(ctrl, CTRL.SEQ);
  Atomics.add(ctrl, CTRL.READY, 1);
  Atomics.notify(ctrl, CTRL.READY);
  let lane: Lane | undefined;
  let reported = false;
  const report = (err: unknown): void => {
    const e = err instanceof Error ? err : new Error(String(err));
    if (!reported) {
      reported = true;
      d.port.postMessage({ name: e.name, message: e.message });
    }
  };
  for (;;) {
    seen = nextSeq(ctrl, seen);
    const phase = Atomics.load(ctrl, CTRL.PHASE);
    if (phase === PHASE.QUIT) {
      break;
    }
    try {
      lane = drain(d, lane);
    } catch (err) {
      report(err);
      Atomics.compareExchange(ctrl, CTRL.FAILED, 0, d.lane + 1);
      Atomics.notify(ctrl, CTRL.COMPLETED);
      continue;
    }
    try {
      lane.run(phase, seen, report);
    } catch {
      // Reported and flagged by the lane.
    }
  }
  d.port.close();
}
