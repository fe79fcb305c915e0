import { criticalPath } from '..';

const MIN = 60_000;
const job = (kind: string, start: number, end: number) => ({ kind, arn: `arn:${kind}`, start: start * MIN, end: end * MIN });

test('the chain runs back from the job that ended last, through the latest job that ended before each started', () => {
  const path = criticalPath([
    job('dataset group', 0, 1),
    job('schema-less dataset', 1, 2),
    job('import', 3, 13),
    job('filter', 2, 3), // ended before the import started, but a shorter path than the dataset's
    job('training', 15, 76),
    job('campaign', 78, 84),
    job('side job', 20, 30), // overlaps the training: not on the chain
  ], 0, 86 * MIN);

  expect(path.chain.map(l => l.kind)).toEqual(['dataset group', 'schema-less dataset', 'filter', 'import', 'training', 'campaign']);
  expect(path.workMs).toBe((1 + 1 + 1 + 10 + 61 + 6) * MIN);
  expect(path.gaps.map(g => [g.before, g.ms / MIN])).toEqual([
    ['dataset group', 0], ['schema-less dataset', 0], ['filter', 0], ['import', 0], ['training', 2], ['campaign', 2],
  ]);
});

test('jobs outside the deploy are left out; nothing to chain gives an empty path', () => {
  expect(criticalPath([job('before', -10, -5), job('after', 100, 120)], 0, 90 * MIN)).toEqual({ chain: [], workMs: 0, gaps: [] });
});
