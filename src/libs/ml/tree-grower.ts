/**
 * Grows one regression tree on binned, bundled data: the coordinator's side. It decides which nodes
 * to split and hands the row work to the team's lanes (parallel/lane.ts) in batches:
 *
 *   ROOT   lanes fill their blocks' row lists and build partial root histograms;
 *   EVAL   the root's partials are summed and its best split found;
 *   then, per batch of nodes to split (a whole level depth-wise, the best leaf loss-guided):
 *   SPLIT  lanes partition each node's rows per block and build partial histograms of the smaller child;
 *   EVAL   per node, partials are summed, the larger child's histogram is parent − smaller
 *          (the subtraction trick, reusing the parent's slot) and both children's best splits found.
 *
 * Batching a level costs two thread synchronisations per level instead of two per node. The node
 * order is exactly the sequential one (breadth-first depth-wise, best-first loss-guided), and
 * histogram sums are exact (quantize.ts), so the tree does not depend on the number of threads.
 * Children that cannot split (depth or size limits) get no histogram at all.
 */
import type { Bundles } from './bundles.js';
import type { Team } from './parallel/team.js';
import { CTRL, JOB, PHASE, ROOT_JOB, SCALAR, SPLIT, SPLIT_JOB, type TrainArrays } from './parallel/train-arrays.js';
import type { SplitParams } from './split-finder.js';

/** Tree shape limits and split constraints. */
export interface GrowParams extends SplitParams {
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly policy: 'depthwise' | 'lossguide';
}

/** A grown tree in build form (typed arrays sized to the node capacity; `nNodes` used). */
export interface GrownTree {
  readonly nNodes: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Raw leaf weight −G/(H+λ), learning rate not applied. */
  readonly value: Float64Array;
  readonly defaultLeft: Uint8Array;
  readonly gain: Float64Array;
  /** Leaf node ids, in node order. */
  readonly leaves: Int32Array;
}

/** Grows trees with one team over one set of shared arrays; keeps the histogram slots between trees. */
export class TreeGrower {
  private readonly free: number[] = [];
  private nSlots = 0;
  private readonly depth: Int32Array;
  private readonly slotOf: Int32Array;

  /**
   * @param team - lanes (started on `a`)
   * @param a - shared arrays
   * @param layout - bundle layout
   * @param edges - bin edges (for raw thresholds)
   * @param p - limits
   * @param slots - histogram slots per cell (1 packed, 2 or 3)
   */
  constructor(
    private readonly team: Team,
    private readonly a: TrainArrays,
    private readonly layout: Bundles,
    private readonly edges: readonly Float64Array[],
    private readonly p: GrowParams,
    private readonly slots: number,
  ) {
    this.depth = new Int32Array(a.shape.cap);
    this.slotOf = new Int32Array(a.shape.cap);
  }

  private alloc(): number {
    const id = this.free.pop();
    if (id !== undefined) {
      return id;
    }
    const bytes = this.a.shape.histLen * 8;
    const shared = this.team.nLanes > 1;
    this.team.addSlot(new Float64Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)));
    return this.nSlots++;
  }

  private hUnit(): number {
    return this.slots === 3 ? this.a.scalars[SCALAR.H_UNIT]! : 1;
  }

  private canSplit(node: number): boolean {
    const a = this.a;
    const p = this.p;
    return (p.maxDepth <= 0 || this.depth[node]! < p.maxDepth) && a.nodeC[node]! >= 2 * p.minSamplesLeaf && a.nodeH[node]! * this.hUnit() >= 2 * p.minChildWeight;
  }

  private hasSplit(node: number): boolean {
    return this.a.splits[node * SPLIT.SIZE + SPLIT.FEATURE]! >= 0;
  }

  /**
   * Grow one tree. The caller has set gradients and their scales, FLAGS, the candidate features and
   * groupActive.
   */
  grow(): GrownTree {
    const a = this.a;
    const cap = a.shape.cap;
    const t = {
      nNodes: 1,
      feature: new Int32Array(cap).fill(-1),
      threshold: new Float64Array(cap),
      left: new Int32Array(cap).fill(-1),
      right: new Int32Array(cap).fill(-1),
      value: new Float64Array(cap),
      defaultLeft: new Uint8Array(cap),
      gain: new Float64Array(cap),
      leaves: new Int32Array(0),
    };
    this.depth[0] = 0;
    a.treeFeature[0] = -1;
    a.treeLeft[0] = -1;
    a.treeRight[0] = -1;
    const rootSlot = this.alloc();
    a.jobs.fill(-1, 0, JOB.SIZE);
    a.jobs[JOB.KIND] = ROOT_JOB;
    a.jobs[JOB.SMALL_SLOT] = rootSlot;
    a.jobs[JOB.NEED_LEFT] = 1;
    a.ctrl[CTRL.NJOBS] = 1;
    // Lane 0 sums rows straight into the slot.
    this.team.lane.slots[rootSlot]!.fill(0);
    a.ctrl[CTRL.PART_SEQ] = this.team.run(PHASE.ROOT, a.shape.nBlocks);
    this.team.run(PHASE.EVAL, 1);
    const candidates: number[] = [];
    if (this.canSplit(0) && this.hasSplit(0)) {
      candidates.push(0);
      this.slotOf[0] = rootSlot;
    } else {
      this.free.push(rootSlot);
    }
    let leaves = 1;
    while (candidates.length > 0 && leaves < this.p.maxLeaves) {
      let batch: number[];
      if (this.p.policy === 'lossguide') {
        let pick = 0;
        for (let i = 1; i < candidates.length; i++) {
          if (a.splits[candidates[i]! * SPLIT.SIZE + SPLIT.GAIN]! > a.splits[candidates[pick]! * SPLIT.SIZE + SPLIT.GAIN]!) {
            pick = i;
          }
        }
        batch = candidates.splice(pick, 1);
      } else {
        batch = candidates.splice(0, Math.min(candidates.length, this.p.maxLeaves - leaves));
      }
      for (let s = 0; s < batch.length; s += a.shape.maxJobs) {
        const chunk = batch.slice(s, s + a.shape.maxJobs);
        this.splitChunk(t, chunk, candidates);
        leaves += chunk.length;
      }
    }
    for (const c of candidates) {
      this.free.push(this.slotOf[c]!);
    }
    const hUnit = this.hUnit();
    const gUnit = a.scalars[SCALAR.G_UNIT]!;
    const leafIds: number[] = [];
    for (let i = 0; i < t.nNodes; i++) {
      if (t.left[i] === -1) {
        t.value[i] = -(a.nodeG[i]! * gUnit) / (a.nodeH[i]! * hUnit + this.p.lambda);
        leafIds.push(i);
      }
    }
    t.leaves = Int32Array.from(leafIds);
    return t;
  }

  /** Split the chunk's nodes (in order), run SPLIT and EVAL, and queue the children that can split further. */
  private splitChunk(t: { nNodes: number } & Omit<GrownTree, 'nNodes'>, chunk: number[], candidates: number[]): void {
    const a = this.a;
    const b = this.layout;
    let anyBuild = false;
    chunk.forEach((node, j) => {
      const at = node * SPLIT.SIZE;
      const f = a.splits[at + SPLIT.FEATURE]!;
      const bin = a.splits[at + SPLIT.BIN]!;
      const missingLeft = a.splits[at + SPLIT.MISSING_LEFT] === 1;
      const L = t.nNodes;
      const R = L + 1;
      t.nNodes += 2;
      t.feature[node] = f;
      t.threshold[node] = this.edges[f]![bin]!;
      t.defaultLeft[node] = missingLeft ? 1 : 0;
      t.left[node] = L;
      t.right[node] = R;
      t.gain[node] = a.splits[at + SPLIT.GAIN]!;
      a.treeFeature[node] = f;
      a.treeBin[node] = bin;
      a.treeDefaultLeft[node] = missingLeft ? 1 : 0;
      a.treeLeft[node] = L;
      a.treeRight[node] = R;
      for (const c of [L, R]) {
        a.treeLeft[c] = -1;
        a.treeRight[c] = -1;
        a.treeFeature[c] = -1;
        this.depth[c] = this.depth[node]! + 1;
      }
      a.nodeG[L] = a.splits[at + SPLIT.GL]!;
      a.nodeH[L] = a.splits[at + SPLIT.HL]!;
      a.nodeC[L] = a.splits[at + SPLIT.CL]!;
      a.nodeG[R] = a.splits[at + SPLIT.GR]!;
      a.nodeH[R] = a.splits[at + SPLIT.HR]!;
      a.nodeC[R] = a.splits[at + SPLIT.CR]!;
      const needL = this.canSplit(L);
      const needR = this.canSplit(R);
      const build = needL || needR;
      anyBuild ||= build;
      const rec = j * JOB.SIZE;
      a.jobs[rec + JOB.KIND] = SPLIT_JOB;
      a.jobs[rec + JOB.NODE] = node;
      a.jobs[rec + JOB.LEFT] = L;
      a.jobs[rec + JOB.RIGHT] = R;
      a.jobs[rec + JOB.FEATURE] = f;
      a.jobs[rec + JOB.SMALL] = build ? (a.nodeC[L]! <= a.nodeC[R]! ? L : R) : -1;
      const smallSlot = build ? this.alloc() : -1;
      if (build) {
        this.team.lane.slots[smallSlot]!.fill(0);
      }
      a.jobs[rec + JOB.SMALL_SLOT] = smallSlot;
      a.jobs[rec + JOB.PARENT_SLOT] = this.slotOf[node]!;
      a.jobs[rec + JOB.NEED_LEFT] = needL ? 1 : 0;
      a.jobs[rec + JOB.NEED_RIGHT] = needR ? 1 : 0;
      // Code table of the split's group: which joint codes send a row left.
      const g = b.featGroup[f]!;
      const dec = b.decode[f]!;
      const nv = b.featValueBins[f]!;
      for (let c = 0; c < b.groupCells[g]!; c++) {
        const cb = dec[c]!;
        a.goLeft[j * 256 + c] = cb === nv ? (missingLeft ? 1 : 0) : cb <= bin ? 1 : 0;
      }
    });
    a.ctrl[CTRL.NJOBS] = chunk.length;
    a.ctrl[CTRL.PART_SEQ] = this.team.run(PHASE.SPLIT, chunk.length * a.shape.nBlocks);
    if (anyBuild) {
      this.team.run(PHASE.EVAL, chunk.length);
    }
    chunk.forEach((_node, j) => {
      const rec = j * JOB.SIZE;
      const L = a.jobs[rec + JOB.LEFT]!;
      const R = a.jobs[rec + JOB.RIGHT]!;
      const small = a.jobs[rec + JOB.SMALL]!;
      const parentSlot = a.jobs[rec + JOB.PARENT_SLOT]!;
      if (small < 0) {
        this.free.push(parentSlot);
        return;
      }
      const smallSlot = a.jobs[rec + JOB.SMALL_SLOT]!;
      for (const c of [L, R]) {
        const need = a.jobs[rec + (c === L ? JOB.NEED_LEFT : JOB.NEED_RIGHT)] === 1;
        const slot = c === small ? smallSlot : parentSlot;
        if (need && this.hasSplit(c)) {
          candidates.push(c);
          this.slotOf[c] = slot;
        } else {
          this.free.push(slot);
        }
      }
    });
  }
}
