/**
 * The typed arrays every training lane (thread) reads and writes, and the fixed layout of their
 * control words. With more than one thread they live on SharedArrayBuffers; with one thread on
 * ordinary buffers (same code, no copies).
 *
 * Rows are cut into `nBlocks` contiguous blocks. A block owns its rows' segment of `idx`, and every
 * tree node has a row range per block (`nodeBegin/nodeEnd[block * cap + node]`), so any lane can
 * partition or sum any block. Lanes claim blocks (or jobs) with an atomic counter; since histogram
 * sums are exact (quantize.ts), the result does not depend on which lane took which block.
 */

/** Phases a lane runs (the PHASE control word). */
export const PHASE = {
  /** Gradients (and |g|, |h| maxima) for the next round. */
  GRAD: 1,
  /** Quantise gradients, fill the row lists, build the root's partial histograms. */
  ROOT: 2,
  /** Partition the rows of this chunk's split nodes and build partial histograms of the smaller children. */
  SPLIT: 3,
  /** Sum partial histograms, subtract for the larger children, find the children's best splits. */
  EVAL: 4,
  /** Add leaf values to the raw scores (and gradients for the next round when FLAGS has GRAD). */
  UPDATE: 5,
  /** Leave the serve loop. */
  QUIT: 6,
  /** Error-path test: lane 0 leaves every item to the workers, which fail on it. */
  FAIL_TEST: 7,
} as const;

/**
 * Indices into the Int32 control array.
 *
 * Claiming: CLAIM holds the phase's tag (SEQ mod 2^15, bits 16–30) and the next item (bits 0–15). A lane
 * claims with a compare-and-swap that also checks the tag, so a lane waking late for a phase that is
 * already over can never take an item of the next one; the coordinator closes a phase by setting the
 * item field to CLOSED before it writes the next phase's inputs. Nobody waits for a lane that claimed
 * nothing: the coordinator waits until COMPLETED equals the number of items claimed.
 */
export const CTRL = {
  /** Bumped by the coordinator to start a phase. */
  SEQ: 0,
  PHASE: 1,
  /** Items of the current phase finished (successfully or not). */
  COMPLETED: 2,
  /** Tag and next item (see above). */
  CLAIM: 3,
  /** 1 + index of the first lane that failed, 0 while all is well. */
  FAILED: 4,
  /** Worker lanes that loaded their code. */
  READY: 5,
  /** Jobs in the current chunk. */
  NJOBS: 6,
  /** Leaves listed in `leaves`. */
  NLEAVES: 7,
  /** Histogram slots shared so far. */
  NSLOTS: 8,
  /** FLAG_* bits. */
  FLAGS: 9,
  /** Candidate features this tree (first entries of `features`). */
  NFEAT: 10,
  /** Items in the current phase. */
  COUNT: 11,
  /** SEQ of the phase whose partial histograms the next EVAL sums (ROOT or SPLIT). */
  PART_SEQ: 12,
  SIZE: 16,
} as const;

/** Item field of CLAIM once a phase is closed (≥ any item count). */
export const CLOSED = 0xffff;

/** The CLAIM tag of a phase sequence number. */
export function claimTag(seq: number): number {
  return (seq & 0x7fff) << 16;
}

/** FLAGS bit: only rows with inSample[r] = 1 grow this tree. */
export const FLAG_SAMPLED = 1;
/** FLAGS bit: UPDATE also computes the next round's gradients. */
export const FLAG_GRAD = 2;

/** Fields of one job record (`jobs[j * JOB.SIZE + field]`). */
export const JOB = {
  /** ROOT_JOB or SPLIT_JOB. */
  KIND: 0,
  /** Node being split (SPLIT) or 0 (ROOT). */
  NODE: 1,
  LEFT: 2,
  RIGHT: 3,
  /** Split feature. */
  FEATURE: 4,
  /** Child whose histogram is built from rows, −1 when no child needs a histogram. */
  SMALL: 5,
  /** Slot receiving the built histogram (the root's, or the small child's). */
  SMALL_SLOT: 6,
  /** Slot of the parent's histogram, turned into the larger child's. */
  PARENT_SLOT: 7,
  /** 1 when the left / right child may split (then it is evaluated). */
  NEED_LEFT: 8,
  NEED_RIGHT: 9,
  SIZE: 10,
} as const;

export const ROOT_JOB = 1;
export const SPLIT_JOB = 2;

/** Fields of one split result (`splits[node * SPLIT.SIZE + field]`); sums in histogram units. */
export const SPLIT = { GAIN: 0, FEATURE: 1, BIN: 2, MISSING_LEFT: 3, GL: 4, HL: 5, CL: 6, GR: 7, HR: 8, CR: 9, SIZE: 10 } as const;

/** Indices into the Float64 scalars. */
export const SCALAR = {
  /** Gradient quantisation scale and the real value of one unit (1 / scale). */
  G_SCALE: 0,
  G_UNIT: 1,
  H_SCALE: 2,
  H_UNIT: 3,
  /** K of packed histograms (1 slot: gradient · K + count), 0 otherwise. */
  PACK_K: 4,
  SIZE: 5,
} as const;

/** Sizes that fix the layout. */
export interface ArraysShape {
  readonly nRows: number;
  readonly nGroups: number;
  /** Bytes per row of `codes` (≥ nGroups, a multiple of 4). */
  readonly stride: number;
  readonly nFeatures: number;
  /** Node capacity of a tree (2 · maxLeaves − 1). */
  readonly cap: number;
  readonly nBlocks: number;
  readonly nLanes: number;
  /** Most split jobs in one chunk. */
  readonly maxJobs: number;
  /** Doubles per group histogram (totalGroupCells · slots). */
  readonly histLen: number;
  /** Whether hessians vary (3-slot histograms). */
  readonly withHess: boolean;
}

/** The shared arrays (see the file comment). */
export interface TrainArrays {
  readonly shape: ArraysShape;
  readonly ctrl: Int32Array;
  readonly scalars: Float64Array;
  /** Bundle codes, row-major with `stride` bytes per row (histograms). */
  readonly codes: Uint8Array;
  /** Bundle codes, column-major `colCodes[g * nRows + r]` (partitioning). */
  readonly colCodes: Uint8Array;
  readonly y: Float64Array;
  readonly raw: Float64Array;
  readonly grad: Float64Array;
  /** Hessians (empty when the objective's hessian is constant). */
  readonly hess: Float64Array;
  readonly inSample: Uint8Array;
  readonly idx: Uint32Array;
  readonly tmp: Uint32Array;
  /** Block b holds rows blockLo[b] .. blockLo[b + 1] − 1. */
  readonly blockLo: Int32Array;
  readonly nodeBegin: Int32Array;
  readonly nodeEnd: Int32Array;
  readonly features: Int32Array;
  readonly groupActive: Uint8Array;
  /** Node sums (histogram units): gradient, hessian, rows. */
  readonly nodeG: Float64Array;
  readonly nodeH: Float64Array;
  readonly nodeC: Float64Array;
  readonly splits: Float64Array;
  /** The tree being grown, for UPDATE: split feature (−1 leaf), split bin, NaN direction, children, leaf value. */
  readonly treeFeature: Int32Array;
  readonly treeBin: Int32Array;
  readonly treeDefaultLeft: Uint8Array;
  readonly treeLeft: Int32Array;
  readonly treeRight: Int32Array;
  readonly treeValue: Float64Array;
  readonly leaves: Int32Array;
  readonly jobs: Int32Array;
  /** Per job, 256 bytes: 1 when a code of the split group goes left. */
  readonly goLeft: Uint8Array;
  /** Per worker lane (1..k−1) and job, a partial group histogram (lane 0 sums into the job's slot). */
  readonly partials: Float64Array;
  /** Per lane: max |gradient|, max hessian of the rows it computed. */
  readonly laneMax: Float64Array;
  /**
   * Per lane: [SEQ of the last phase it took items in that fills partial histograms (ROOT, SPLIT),
   * SEQ of the last phase it took items in that computes gradients (GRAD, UPDATE)]; a lane's partials and
   * maxima count only for those phases.
   */
  readonly laneSeq: Int32Array;
}

type Ctor<T> = new (buf: ArrayBufferLike) => T;

/**
 * Allocate the arrays, on SharedArrayBuffers when the team's control array is shared (worker threads).
 * @param shape - sizes
 * @param ctrl - the team's control array (becomes `ctrl`)
 */
export function allocTrainArrays(shape: ArraysShape, ctrl: Int32Array): TrainArrays {
  const shared = ctrl.buffer instanceof SharedArrayBuffer;
  const make = <T>(C: Ctor<T> & { BYTES_PER_ELEMENT: number }, len: number): T => {
    const bytes = Math.max(1, len) * C.BYTES_PER_ELEMENT;
    return new C(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  };
  const n = shape.nRows;
  const cap = shape.cap;
  return {
    shape,
    ctrl,
    scalars: make(Float64Array, SCALAR.SIZE),
    codes: make(Uint8Array, n * shape.stride),
    colCodes: make(Uint8Array, n * shape.nGroups),
    y: make(Float64Array, n),
    raw: make(Float64Array, n),
    grad: make(Float64Array, n),
    hess: make(Float64Array, shape.withHess ? n : 0),
    inSample: make(Uint8Array, n),
    idx: make(Uint32Array, n),
    tmp: make(Uint32Array, n),
    blockLo: make(Int32Array, shape.nBlocks + 1),
    nodeBegin: make(Int32Array, shape.nBlocks * cap),
    nodeEnd: make(Int32Array, shape.nBlocks * cap),
    features: make(Int32Array, shape.nFeatures),
    groupActive: make(Uint8Array, shape.nGroups),
    nodeG: make(Float64Array, cap),
    nodeH: make(Float64Array, cap),
    nodeC: make(Float64Array, cap),
    splits: make(Float64Array, cap * SPLIT.SIZE),
    treeFeature: make(Int32Array, cap),
    treeBin: make(Int32Array, cap),
    treeDefaultLeft: make(Uint8Array, cap),
    treeLeft: make(Int32Array, cap),
    treeRight: make(Int32Array, cap),
    treeValue: make(Float64Array, cap),
    leaves: make(Int32Array, cap),
    jobs: make(Int32Array, shape.maxJobs * JOB.SIZE),
    goLeft: make(Uint8Array, shape.maxJobs * 256),
    partials: make(Float64Array, (shape.nLanes - 1) * shape.maxJobs * shape.histLen),
    laneMax: make(Float64Array, shape.nLanes * 2),
    laneSeq: make(Int32Array, shape.nLanes * 2),
  };
}
