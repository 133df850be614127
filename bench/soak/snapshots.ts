/**
 * Heap snapshots (only with --snapshots): count nodes by type and constructor name in two
 * snapshots and list the largest increases.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { collectGarbage, RESULTS_DIR } from '../report.js';
import type { CaseName, CaseResult } from './plan.js';

/** How the nodes of one name changed between two snapshots. */
export interface SnapshotDelta {
  name: string;
  countBefore: number;
  countAfter: number;
  bytesDelta: number;
}

/** The parts of V8's .heapsnapshot JSON read here. */
interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

/** Node count and self size by type and constructor name, in one snapshot file. */
function countByConstructor(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotFile;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]];
    const raw = snap.strings[snap.nodes[i + iName]];
    // Strings and code are named by their contents: group them by type only.
    const name =
      type === 'object' || type === 'closure' || type === 'native'
        ? `${type} ${raw.slice(0, 60)}`
        : `(${type})`;
    const entry = out.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + iSize];
    out.set(name, entry);
  }
  return out;
}

/** The 15 names whose count or bytes changed most between two snapshot files. */
function diffSnapshots(before: string, after: string): SnapshotDelta[] {
  const a = countByConstructor(before);
  const b = countByConstructor(after);
  const names = new Set([...a.keys(), ...b.keys()]);
  const deltas: SnapshotDelta[] = [];
  for (const name of names) {
    const x = a.get(name) ?? { count: 0, bytes: 0 };
    const y = b.get(name) ?? { count: 0, bytes: 0 };
    deltas.push({
      name,
      countBefore: x.count,
      countAfter: y.count,
      bytesDelta: y.bytes - x.bytes,
    });
  }
  return deltas
    .filter((d) => d.countAfter !== d.countBefore || d.bytesDelta !== 0)
    .sort((p, q) => Math.abs(q.bytesDelta) - Math.abs(p.bytesDelta))
    .slice(0, 15);
}

/** Writes a snapshot at the warm-up sample and at the last one, when asked to. */
export class Snapshots {
  readonly files: string[] = [];
  constructor(
    private readonly name: CaseName,
    private readonly enabled: boolean,
  ) {}
  take(step: number): void {
    if (!this.enabled) return;
    collectGarbage();
    const file = path.join(RESULTS_DIR, `soak-${this.name}-${step}.heapsnapshot`);
    v8.writeHeapSnapshot(file);
    this.files.push(file);
  }
  result(): CaseResult['snapshots'] {
    if (this.files.length < 2) return undefined;
    const top = diffSnapshots(this.files[0], this.files[this.files.length - 1]);
    return { files: this.files.map((f) => path.relative(process.cwd(), f)), top };
  }
}
