/**
 * How each timeline event kind is drawn: a shape and a colour, unique per kind, grouped for the
 * legend (writes, network, storage, node lifecycle, clocks, checks, other). Known kinds have fixed
 * marks; a kind the engine starts emitting later gets the next free mark of the group its name
 * suggests, so new kinds show up distinct without an edit here.
 */

/** The legend's groups, in order. */
export const MARK_GROUPS = [
  'writes',
  'network',
  'storage',
  'node lifecycle',
  'clocks',
  'checks',
  'other',
] as const;

/** One legend group. */
export type MarkGroup = (typeof MARK_GROUPS)[number];

/** Shapes a mark can take (each fits a circle of the mark's radius). */
export const MARK_SHAPES = [
  'circle',
  'square',
  'diamond',
  'triangle',
  'triangle-down',
  'plus',
  'cross',
  'star',
  'hexagon',
] as const;

/** One shape. */
export type MarkShape = (typeof MARK_SHAPES)[number];

/** How one event kind is drawn. */
export interface EventMark {
  readonly group: MarkGroup;
  readonly shape: MarkShape;
  /** `#rrggbb`. */
  readonly colour: string;
}

/** Colours of each group, distinct across groups, so (shape, colour) is unique across kinds. */
const GROUP_COLOURS: Readonly<Record<MarkGroup, readonly string[]>> = {
  writes: ['#1f77b4', '#4a9bd9', '#0b4f86'],
  network: ['#d62728', '#f0780f', '#a3121f'],
  storage: ['#2ca02c', '#7cb518', '#136f3a'],
  'node lifecycle': ['#9467bd', '#c54ec4', '#5b3a8c'],
  clocks: ['#17becf', '#0f8a99'],
  checks: ['#111111', '#8c564b', '#6f6f6f'],
  other: ['#bcbd22', '#e377c2', '#7f7f7f'],
};

/** Marks of the kinds the simulator emits today: [kind, group, shape, colour index]. */
const KNOWN: readonly (readonly [string, MarkGroup, MarkShape, number])[] = [
  ['write:insert', 'writes', 'circle', 0],
  ['write:update', 'writes', 'square', 0],
  ['write:delete', 'writes', 'cross', 2],
  ['write-skipped', 'writes', 'triangle-down', 1],
  ['write-refused', 'writes', 'diamond', 2],
  ['write-noop', 'writes', 'hexagon', 1],
  ['drop', 'network', 'cross', 0],
  ['duplicate', 'network', 'plus', 1],
  ['reply-loss', 'network', 'triangle-down', 0],
  ['partition', 'network', 'square', 2],
  ['offline', 'network', 'circle', 1],
  ['put', 'storage', 'circle', 0],
  ['storage-put-fail', 'storage', 'cross', 2],
  ['storage-lost-reply', 'storage', 'triangle-down', 1],
  ['storage-read-fail', 'storage', 'diamond', 2],
  ['slow-storage', 'storage', 'hexagon', 1],
  ['gateway-restart', 'node lifecycle', 'star', 0],
  ['client-restart', 'node lifecycle', 'star', 1],
  ['backup-restore', 'node lifecycle', 'star', 2],
  ['crashed', 'node lifecycle', 'cross', 2],
  ['opened', 'node lifecycle', 'triangle', 0],
  ['open-failed', 'node lifecycle', 'triangle-down', 2],
  ['clock-skew', 'clocks', 'diamond', 0],
  ['clock-jump', 'clocks', 'triangle', 1],
  ['phase', 'checks', 'square', 2],
  ['settled', 'checks', 'circle', 2],
];

const KNOWN_MARKS = new Map<string, EventMark>(
  KNOWN.map(([kind, group, shape, colour]) => [
    kind,
    { group, shape, colour: GROUP_COLOURS[group][colour] ?? '#000000' },
  ]),
);

/** The group a kind's name suggests (for kinds without a fixed mark). */
export function groupOf(kind: string): MarkGroup {
  const known = KNOWN_MARKS.get(kind);
  if (known !== undefined) return known.group;
  if (kind.startsWith('violation') || kind.startsWith('oracle')) return 'checks';
  if (kind.startsWith('write')) return 'writes';
  if (/clock|skew|drift/.test(kind)) return 'clocks';
  if (/storage|lake|put|read|flush|envelope/.test(kind)) return 'storage';
  if (/restart|crash|open|close|tab|loop|start|stop/.test(kind)) return 'node lifecycle';
  if (/drop|duplicate|reply|partition|offline|network|message|pull|push|deliver/.test(kind))
    return 'network';
  return 'other';
}

/**
 * The mark of every kind in `kinds`: fixed marks for known kinds; the others, sorted by name, take
 * the first (shape, colour) of their group no other kind of this run uses. Deterministic for a
 * given set of kinds; every kind gets a different (shape, colour) pair.
 */
export function assignMarks(kinds: Iterable<string>): Map<string, EventMark> {
  const unique = [...new Set(kinds)].sort();
  const marks = new Map<string, EventMark>();
  const used = new Set<string>();
  for (const kind of unique) {
    const known = KNOWN_MARKS.get(kind);
    if (known === undefined) continue;
    marks.set(kind, known);
    used.add(`${known.shape} ${known.colour}`);
  }
  for (const kind of unique) {
    if (marks.has(kind)) continue;
    const group = groupOf(kind);
    const mark = freeMark(group, used) ?? freeMarkAnywhere(used) ?? fallbackMark(group);
    marks.set(kind, mark);
    used.add(`${mark.shape} ${mark.colour}`);
  }
  return marks;
}

function freeMark(group: MarkGroup, used: ReadonlySet<string>): EventMark | null {
  for (const colour of GROUP_COLOURS[group]) {
    for (const shape of MARK_SHAPES) {
      if (!used.has(`${shape} ${colour}`)) return { group, shape, colour };
    }
  }
  return null;
}

function freeMarkAnywhere(used: ReadonlySet<string>): EventMark | null {
  for (const group of MARK_GROUPS) {
    const mark = freeMark(group, used);
    if (mark !== null) return { ...mark, group: 'other' };
  }
  return null;
}

function fallbackMark(group: MarkGroup): EventMark {
  return { group, shape: 'circle', colour: '#000000' };
}

/**
 * SVG for `mark` centred at (`x`, `y`) with radius `r`: a `<circle>` or a `<path>` with its fill,
 * carrying `attributes` (already escaped) and `inner` (e.g. a `<title>`).
 */
export function markSvg(
  mark: EventMark,
  x: number,
  y: number,
  r: number,
  attributes = '',
  inner = '',
): string {
  const extra = attributes === '' ? '' : ` ${attributes}`;
  const body = inner === '' ? '/>' : `>${inner}</${mark.shape === 'circle' ? 'circle' : 'path'}>`;
  if (mark.shape === 'circle') {
    return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" fill="${mark.colour}"${extra}${body}`;
  }
  return `<path d="${shapePath(mark.shape, x, y, r)}" fill="${mark.colour}"${extra}${body}`;
}

/** Half the width of a plus's arms, as a fraction of the mark's radius. */
const PLUS_ARM = 0.35;

/** The twelve corners of a plus on the unit square; a cross is the same turned by 45°. */
const PLUS_OUTLINE: readonly (readonly [number, number])[] = [
  [-PLUS_ARM, -1],
  [PLUS_ARM, -1],
  [PLUS_ARM, -PLUS_ARM],
  [1, -PLUS_ARM],
  [1, PLUS_ARM],
  [PLUS_ARM, PLUS_ARM],
  [PLUS_ARM, 1],
  [-PLUS_ARM, 1],
  [-PLUS_ARM, PLUS_ARM],
  [-1, PLUS_ARM],
  [-1, -PLUS_ARM],
  [-PLUS_ARM, -PLUS_ARM],
];

/** The outline of `shape` around (`x`, `y`) as path data. */
export function shapePath(shape: MarkShape, x: number, y: number, r: number): string {
  const points = (list: readonly (readonly [number, number])[]): string =>
    `M${list.map(([dx, dy]) => `${num(x + dx * r)} ${num(y + dy * r)}`).join('L')}Z`;
  switch (shape) {
    case 'circle':
      return `M${num(x - r)} ${num(y)}a${num(r)} ${num(r)} 0 1 0 ${num(2 * r)} 0a${num(r)} ${num(r)} 0 1 0 ${num(-2 * r)} 0Z`;
    case 'square':
      return points([
        [-0.8, -0.8],
        [0.8, -0.8],
        [0.8, 0.8],
        [-0.8, 0.8],
      ]);
    case 'diamond':
      return points([
        [0, -1],
        [1, 0],
        [0, 1],
        [-1, 0],
      ]);
    case 'triangle':
      return points([
        [0, -1],
        [0.95, 0.8],
        [-0.95, 0.8],
      ]);
    case 'triangle-down':
      return points([
        [0, 1],
        [0.95, -0.8],
        [-0.95, -0.8],
      ]);
    case 'plus':
      return points(PLUS_OUTLINE);
    case 'cross':
      return points(PLUS_OUTLINE.map(([dx, dy]) => rotate45(dx, dy)));
    case 'star':
      return points(
        Array.from({ length: 10 }, (_, index) => {
          const angle = (Math.PI / 5) * index - Math.PI / 2;
          const radius = index % 2 === 0 ? 1.1 : 0.45;
          return [Math.cos(angle) * radius, Math.sin(angle) * radius] as const;
        }),
      );
    case 'hexagon':
      return points(
        Array.from({ length: 6 }, (_, index) => {
          const angle = (Math.PI / 3) * index;
          return [Math.cos(angle), Math.sin(angle)] as const;
        }),
      );
  }
}

function rotate45(dx: number, dy: number): readonly [number, number] {
  const c = Math.SQRT1_2;
  return [(dx - dy) * c, (dx + dy) * c];
}

function num(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
